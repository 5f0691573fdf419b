// util.xml: an XML document as an object, the way org.json's XML.toJSONObject reads it: repeated
// elements become arrays, attributes plain keys, text beside attributes "content", numbers and
// booleans typed. AWS AppSync docs, "XML helpers in util.xml".
import type { Util } from '@aws-appsync/utils';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { UtilArgumentError } from '../state.ts';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: 'content',
  parseAttributeValue: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  numberParseOptions: { leadingZeros: false, hex: false, eNotation: true },
});

function toMap(xml: string): Record<string, unknown> | null {
  if (typeof xml !== 'string') throw new UtilArgumentError('util.xml.toMap: the argument must be a string');
  // An empty document has no root element: nothing to map.
  if (xml.trim() === '') return null;
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new UtilArgumentError(`util.xml: invalid XML at line ${valid.err.line}: ${valid.err.msg}`);
  return parser.parse(xml) as Record<string, unknown>;
}

export const xmlUtil: Util['xml'] = {
  toMap,
  /** The toMap object as JSON; with `stringEncode`, that JSON again encoded as a JSON string literal. */
  toJsonString(xml: string, stringEncode?: boolean): string {
    const json = JSON.stringify(toMap(xml));
    return stringEncode === true ? JSON.stringify(json) : json;
  },
};
