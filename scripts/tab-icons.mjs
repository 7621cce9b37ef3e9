// Draws the tab bar's icons (81×81 PNG, grey and selected green) from the SVG paths below: `node scripts/tab-icons.mjs`.
import sharp from 'sharp';

const icons = {
  home: '<path d="M12 38 L40 14 L68 38" /><path d="M20 34 V66 H60 V34" /><path d="M34 66 V48 H46 V66" />',
  claims: '<rect x="18" y="10" width="44" height="60" rx="6" /><path d="M28 28 H52 M28 40 H52 M28 52 H42" />',
  messages: '<path d="M14 18 H66 V54 H36 L22 66 V54 H14 Z" /><path d="M26 32 H54 M26 42 H46" />',
  me: '<circle cx="40" cy="28" r="13" /><path d="M14 68 C16 50 28 44 40 44 C52 44 64 50 66 68" />',
};
const colors = { normal: '#4e5969', active: '#06794a' };

for (const [name, paths] of Object.entries(icons)) {
  for (const [state, color] of Object.entries(colors)) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="81" height="81" viewBox="0 0 80 80"><g fill="none" stroke="${color}" stroke-width="5" stroke-linecap="round" stroke-linejoin="round">${paths}</g></svg>`;
    await sharp(Buffer.from(svg))
      .png({ compressionLevel: 9, palette: true })
      .toFile(`src/assets/tabbar/${name}${state === 'active' ? '-active' : ''}.png`);
  }
}
