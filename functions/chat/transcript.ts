// The reply as published: the text of every DELTA handed to the publisher and the seq of the last event.
// The one place seqs are given out, so a checkpoint's (content, seq) always matches deltas 1..seq exactly.

export interface TranscriptSnapshot {
  /** The concatenated text of the DELTA events with seq <= `seq`. */
  content: string;
  /** The seq of the last event given out (DELTA or TITLE); 0 before any. */
  seq: number;
}

export class Transcript {
  #text = '';
  #seq = 0;

  /** Records a DELTA's text and returns its seq. */
  appendDelta(text: string): number {
    this.#text += text;
    this.#seq += 1;
    return this.#seq;
  }

  /** The seq of an event that adds no text (TITLE, DONE, ERROR). */
  nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  get text(): string {
    return this.#text;
  }

  snapshot(): TranscriptSnapshot {
    return { content: this.#text, seq: this.#seq };
  }
}
