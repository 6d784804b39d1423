import { describe, expect, it } from 'vitest';
import { playableRecordingUrl } from '../src/lib/recording-url.ts';

describe('playableRecordingUrl', () => {
  it('plays an https recording', () => {
    expect(playableRecordingUrl('https://storage.vapi.ai/abc-mono.wav')).toBe(
      'https://storage.vapi.ai/abc-mono.wav',
    );
  });

  it('refuses what a hostile sender could put in recordingUrl', () => {
    for (const url of [
      'http://storage.vapi.ai/abc-mono.wav',
      'javascript:alert(document.cookie)',
      'JAVASCRIPT:alert(1)',
      'data:audio/wav;base64,UklGRg==',
      'blob:https://evil.example/1',
      '//evil.example/a.wav',
      'not a url',
      '',
      null,
      undefined,
    ]) {
      expect(playableRecordingUrl(url), String(url)).toBeNull();
    }
  });
});
