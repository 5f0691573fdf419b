// Parsed and validated GraphQL documents by query text: clients send the same few operations again and
// again, and parse + validate cost more than running a simple query. Documents are never mutated by execution.
import type { DocumentNode } from 'graphql';

/** The most recently used documents, at most `capacity` of them. */
export class DocumentCache {
  private readonly entries = new Map<string, DocumentNode>();

  constructor(private readonly capacity = 256) {}

  get(query: string): DocumentNode | undefined {
    const document = this.entries.get(query);
    if (document !== undefined) {
      // Map keeps insertion order: re-inserting marks the entry as the most recently used.
      this.entries.delete(query);
      this.entries.set(query, document);
    }
    return document;
  }

  set(query: string, document: DocumentNode): void {
    this.entries.delete(query);
    this.entries.set(query, document);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }
}
