import { formatOffset, type TranscriptTurn } from '../../lib/transcript-turns.ts';

const SPEAKER_LABELS = { assistant: 'Assistant', customer: 'Customer', tool: 'Tool' } as const;

export function Transcript({ turns }: { turns: TranscriptTurn[] }) {
  if (turns.length === 0) return <p className="empty">No transcript.</p>;
  return (
    <ol className="transcript" aria-label="Transcript">
      {turns.map((turn, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: turns have no id and never reorder
        <li key={index} className={`turn ${turn.speaker}`}>
          <span className="speaker">{SPEAKER_LABELS[turn.speaker]}</span>
          {turn.secondsFromStart !== null && (
            <span className="offset">{formatOffset(turn.secondsFromStart)}</span>
          )}
          <p>{turn.text}</p>
        </li>
      ))}
    </ol>
  );
}
