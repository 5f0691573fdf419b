// Citations ("Citations" page): for each document sent with `citations: {enabled: true}`, the answer cites a short
// span of it, a `char_location` for plain text and a `page_location` for a PDF, numbered by the document's index among
// the request's documents. Which span is the sandbox's choice: a text's first sentence, a PDF's first text string.
import type { CitationCharLocation, CitationPageLocation } from '@anthropic-ai/sdk/resources/messages';
import { isObject, type MessageRequest } from './prompt.ts';

export type Citation = CitationCharLocation | CitationPageLocation;

const MAX_SPAN = 120;

/** The first sentence (or line) of a text, and where it starts. */
function firstSentence(text: string): { start: number; span: string } {
  const match = /\S[^\n.!?]*[.!?]?/.exec(text);
  const span = (match?.[0] ?? '').slice(0, MAX_SPAN);
  return { start: match?.index ?? 0, span };
}

/**
 * The first string a PDF page draws (`(...) Tj`), read from an uncompressed content stream; empty when the text is
 * compressed or drawn otherwise (the stand-in does not inflate streams).
 */
function firstPdfText(pdf: string): string {
  const match = /\(((?:\\.|[^\\)])*)\)\s*Tj/.exec(pdf);
  return (match?.[1] ?? '').replace(/\\(.)/g, '$1').slice(0, MAX_SPAN);
}

function citationOf(source: Record<string, unknown>, documentIndex: number, title: string | null): Citation | undefined {
  if (source.type === 'text' && typeof source.data === 'string') {
    const { start, span } = firstSentence(source.data);
    return { type: 'char_location', cited_text: span, document_index: documentIndex, document_title: title, start_char_index: start, end_char_index: start + span.length, file_id: null };
  }
  if (source.type === 'base64' && typeof source.data === 'string') {
    const pdf = Buffer.from(source.data, 'base64').toString('latin1');
    return { type: 'page_location', cited_text: firstPdfText(pdf), document_index: documentIndex, document_title: title, start_page_number: 1, end_page_number: 2, file_id: null };
  }
  return undefined;
}

/** One citation for each document of the request whose citations are enabled, in the order they were sent. */
export function citationsFor(request: MessageRequest): Citation[] {
  const documents = request.messages.flatMap((message) => message.blocks.filter((block) => block.type === 'document'));
  return documents.flatMap((document, index) => {
    const { source, citations, title } = document.body;
    if (!isObject(source) || !isObject(citations) || citations.enabled !== true) return [];
    const citation = citationOf(source, index, typeof title === 'string' ? title : null);
    return citation ? [citation] : [];
  });
}
