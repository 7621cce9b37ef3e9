/** The photo pipeline of the claimant's materials (拍照/上传): choose, compress, upload with resume. */
export {
  choosePhotos,
  MAX_PHOTOS_PER_PICK,
  notImagesMessage,
  type ChosenPhoto,
  type ChosenPhotos,
  type PhotoSource,
} from './choose';
export { compressPhoto } from './compress';
export { photoUploader, PhotoUploader, type AddedPhoto } from './uploader';
export type { CompressedPhoto } from './types';
