import { useState } from 'react';

/** Copies a value to the clipboard and says whether it worked; the value itself is never re-rendered. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      // No clipboard (plain http on another host, a denied permission): the text is on screen to select.
      setState('failed');
    }
  }
  return (
    <button type="button" className="secondary copy" onClick={copy} aria-label={label}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy' : 'Copy'}
    </button>
  );
}
