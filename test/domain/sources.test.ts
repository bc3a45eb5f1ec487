import { describe, expect, it } from 'vitest';
import { parseSource, SOURCE_LABELS, SOURCES, sourceSpellings } from '../../src/domain/sources.ts';

describe('parseSource', () => {
  it.each(SOURCES)('accepts the id %s and its label, in any case', (source) => {
    expect(parseSource(source)).toBe(source);
    expect(parseSource(source.toUpperCase())).toBe(source);
    expect(parseSource(SOURCE_LABELS[source])).toBe(source);
    expect(parseSource(SOURCE_LABELS[source].toLowerCase())).toBe(source);
  });

  it('treats spaces and hyphens like underscores and ignores surrounding space', () => {
    expect(parseSource('  Developer   API ')).toBe('developer_api');
    expect(parseSource('close-conversation')).toBe('close_conversation');
  });

  it.each(['', 'email', 'developer', 'Developer.API'])('rejects %j', (text) => {
    expect(parseSource(text)).toBeUndefined();
  });
});

describe('sourceSpellings', () => {
  it('lists each source once, since ids are the normalised labels', () => {
    expect(sourceSpellings()).toEqual([...SOURCES]);
  });
});
