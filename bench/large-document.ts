/**
 * The large generated `.docx` the benchmarks share: 80 chapters of headings, paragraphs with
 * bold runs, bulleted and numbered lists and a table each — about 250 pages. The prose is
 * deterministic pseudo-random text, so every run measures the same document.
 */
import {
  AlignmentType,
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx';

const CHAPTERS = 80;

const SYLLABLES = 'ka lo mi ne ro su ta vi ze pa qu ri do fe gu ha ji le mo nu'.split(' ');
const COMMON = 'the a of to and in for on with was by at from after before during'.split(' ');

/**
 * Deterministic pseudo-random prose (a large invented vocabulary, numbers and times), so every
 * run measures the same document and it compresses like real text rather than a repeated phrase.
 */
function makeText(seed: number, count: number): string {
  let state = (seed * 2654435761 + 1) % 2147483648;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state >> 8;
  };
  const words: string[] = [];
  for (let index = 0; index < count; index++) {
    const roll = next() % 10;
    if (roll < 3) words.push(COMMON[next() % COMMON.length] as string);
    else if (roll === 3) words.push(`${next() % 24}:${String(next() % 60).padStart(2, '0')}`);
    else {
      const length = 2 + (next() % 3);
      let word = '';
      for (let syllable = 0; syllable < length; syllable++) {
        word += SYLLABLES[next() % SYLLABLES.length];
      }
      words.push(word);
    }
  }
  const sentence = words.join(' ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

function chapter(index: number): (Paragraph | Table)[] {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ text: `${index + 1}. ${makeText(index, 5)}`, heading: HeadingLevel.HEADING_1 }),
  ];
  for (let section = 0; section < 3; section++) {
    const seed = index * 100 + section * 10;
    children.push(new Paragraph({ text: makeText(seed, 6), heading: HeadingLevel.HEADING_2 }));
    for (let paragraph = 0; paragraph < 4; paragraph++) {
      children.push(
        new Paragraph({
          children: [
            new TextRun(makeText(seed + paragraph, 40)),
            new TextRun({ text: ` ${makeText(seed + paragraph + 1, 8)}`, bold: true }),
            new TextRun(` ${makeText(seed + paragraph + 2, 30)}`),
          ],
        }),
      );
    }
    for (let item = 0; item < 4; item++) {
      children.push(
        new Paragraph({ text: makeText(seed + item + 3, 12), bullet: { level: item % 2 } }),
        new Paragraph({
          text: makeText(seed + item + 5, 12),
          numbering: { reference: 'numbered', level: item % 2 },
        }),
      );
    }
  }
  const rows = Array.from(
    { length: 12 },
    (_, row) =>
      new TableRow({
        children: [0, 1, 2, 3].map(
          (column) =>
            new TableCell({
              children: [new Paragraph(makeText(index * 1000 + row * 10 + column, column + 2))],
            }),
        ),
      }),
  );
  children.push(new Table({ rows }));
  return children;
}

/** Builds the document. */
export async function largeDocx(): Promise<Buffer> {
  const document = new Document({
    title: 'Benchmark document',
    numbering: {
      config: [
        {
          reference: 'numbered',
          levels: [0, 1].map((level) => ({
            level,
            format: LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.START,
          })),
        },
      ],
    },
    sections: [{ children: Array.from({ length: CHAPTERS }, (_, index) => chapter(index)).flat() }],
  });
  return Packer.toBuffer(document);
}
