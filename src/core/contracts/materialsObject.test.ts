import { materialsFormSchema } from './claim';

describe('materials by material id', () => {
  it('refuses a __proto__ key as it refuses any other unknown key (a record dropped it and accepted the rest)', () => {
    const file = 'cloud://env/files/a.jpg';
    for (const key of ['__proto__', 'constructor', 'photos']) {
      const parsed = JSON.parse(`{"${key}":["${file}"],"invoice":["${file}"]}`) as unknown;
      expect(materialsFormSchema.safeParse(parsed).success).toBe(false);
    }
    expect(materialsFormSchema.parse({ invoice: [file] })).toEqual({ invoice: [file] });
  });
});
