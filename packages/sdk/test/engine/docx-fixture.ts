import { strToU8, type Zippable, zipSync } from 'fflate';

export { LABELLED_DOCS, REAL_DOCS } from './shared-files.js';

/** The WordprocessingML namespace, for hand-written fixtures. */
export const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** Parts of a hand-written .docx; only `body` is required. */
export interface DocxFixture {
  /** The content of `w:body` (paragraphs, tables...), with `w:` bound to WordprocessingML. */
  body: string;
  /** The content of `w:styles`, when the fixture needs styles. */
  styles?: string;
  /** The content of `w:numbering`, when the fixture needs lists. */
  numbering?: string;
  /** `dc:title` in the core properties. */
  title?: string;
  /** Extra entries, by path, added as they are. */
  extra?: Record<string, string>;
}

const PACKAGE_RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const OFFICE_RELS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** Builds a small but complete .docx from hand-written XML. */
export function makeDocx(fixture: DocxFixture): Uint8Array {
  const relationships = [
    fixture.styles === undefined ? '' : relationship('rId1', 'styles', 'styles.xml'),
    fixture.numbering === undefined ? '' : relationship('rId2', 'numbering', 'numbering.xml'),
  ].join('');
  const files: Zippable = {
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
        '</Types>',
    ),
    '_rels/.rels': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PACKAGE_RELS}">` +
        `<Relationship Id="rId1" Type="${OFFICE_RELS}/officeDocument" Target="word/document.xml"/>` +
        `<Relationship Id="rId2" Type="${PACKAGE_RELS}/metadata/core-properties" Target="docProps/core.xml"/>` +
        '</Relationships>',
    ),
    'word/document.xml': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>${fixture.body}</w:body></w:document>`,
    ),
    'word/_rels/document.xml.rels': strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PACKAGE_RELS}">${relationships}</Relationships>`,
    ),
    'docProps/core.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
        `<dc:title>${fixture.title ?? ''}</dc:title></cp:coreProperties>`,
    ),
  };
  if (fixture.styles !== undefined) {
    files['word/styles.xml'] = strToU8(`<w:styles xmlns:w="${W}">${fixture.styles}</w:styles>`);
  }
  if (fixture.numbering !== undefined) {
    files['word/numbering.xml'] = strToU8(
      `<w:numbering xmlns:w="${W}">${fixture.numbering}</w:numbering>`,
    );
  }
  for (const [path, content] of Object.entries(fixture.extra ?? {})) files[path] = strToU8(content);
  return zipSync(files);
}

function relationship(id: string, kind: string, target: string): string {
  return `<Relationship Id="${id}" Type="${OFFICE_RELS}/${kind}" Target="${target}"/>`;
}

/** A paragraph with one run of `text` (and optional paragraph properties XML). */
export function paragraph(text: string, properties = ''): string {
  const pPr = properties === '' ? '' : `<w:pPr>${properties}</w:pPr>`;
  return `<w:p>${pPr}<w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
}
