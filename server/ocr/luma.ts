/** A pixel's grey level from its red, green and blue (ITU-R BT.601 weights, as the OCR's own greyscale uses). */
export const luma = (r: number, g: number, b: number): number => 0.299 * r + 0.587 * g + 0.114 * b;
