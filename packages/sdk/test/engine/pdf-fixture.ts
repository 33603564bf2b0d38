/** One line of text placed on a generated PDF page. */
export interface FixtureLine {
  text: string;
  /** Baseline height above the page bottom, in points (pages are 612 x 792). */
  y: number;
  /** Left edge (default 72). */
  x?: number;
  /** Font size (default 11). */
  size?: number;
  /** Helvetica-Bold instead of Helvetica. */
  bold?: boolean;
}

/** What else the generated PDF has. */
export interface FixtureOptions {
  /** An Info dictionary Title. */
  title?: string;
  /** A standard-security Encrypt dictionary whose user password is not empty. */
  encrypted?: boolean;
}

/**
 * Writes a small PDF by hand: one page per entry of `pages`, each line drawn in the standard
 * Helvetica fonts (not embedded), with a correct cross-reference table.
 */
export function buildPdf(pages: FixtureLine[][], options: FixtureOptions = {}): Uint8Array {
  const objects: string[] = [];
  const add = (body: string) => {
    objects.push(body);
    return objects.length;
  };
  const catalog = add('');
  const pageTree = add('');
  const regular = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  const bold = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>');
  const pageIds = pages.map((lines) => {
    const content = lines
      .map(({ text, y, x = 72, size = 11, bold: isBold = false }) => {
        const escaped = text.replace(/[\\()]/g, (char) => `\\${char}`);
        return `BT /${isBold ? 'F2' : 'F1'} ${size} Tf ${x} ${y} Td (${escaped}) Tj ET`;
      })
      .join('\n');
    const stream = add(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    return add(
      `<< /Type /Page /Parent ${pageTree} 0 R /MediaBox [0 0 612 792] ` +
        `/Resources << /Font << /F1 ${regular} 0 R /F2 ${bold} 0 R >> >> /Contents ${stream} 0 R >>`,
    );
  });
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pageTree} 0 R >>`;
  objects[pageTree - 1] =
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;
  const info = options.title === undefined ? null : add(`<< /Title (${options.title}) >>`);
  const encrypt = options.encrypted
    ? add(
        `<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 ` +
          `/O <${'11'.repeat(32)}> /U <${'22'.repeat(32)}> >>`,
      )
    : null;

  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((body, index) => {
    const offset = pdf.length;
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
    return offset;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  const trailer = [
    `/Size ${objects.length + 1}`,
    `/Root ${catalog} 0 R`,
    info === null ? '' : `/Info ${info} 0 R`,
    encrypt === null
      ? ''
      : `/Encrypt ${encrypt} 0 R /ID [<${'ab'.repeat(16)}> <${'ab'.repeat(16)}>]`,
  ].join(' ');
  pdf += `trailer\n<< ${trailer} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(pdf, 'latin1'));
}
