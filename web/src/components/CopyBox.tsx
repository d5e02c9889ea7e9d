import { useRef, useState, type ReactNode } from 'react';

/**
 * Text to copy (a query, a rule, a command, a new key): shown as text in a read-only block with
 * a Copy button. Uses the Clipboard API where the page is a secure context, else selects the
 * text and falls back to the browser's copy command.
 */
export function CopyBox({ label, text, testId, multiline = true }: { label: string; text: string; testId?: string; multiline?: boolean }): ReactNode {
  const ref = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const copy = async (): Promise<void> => {
    try {
      if (navigator.clipboard && window.isSecureContext) await navigator.clipboard.writeText(text);
      else {
        const range = document.createRange();
        if (ref.current) range.selectNodeContents(ref.current);
        const sel = window.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(range);
        if (!document.execCommand('copy')) throw new Error('copy refused');
      }
      setCopied('done');
    } catch {
      setCopied('failed');
    }
    window.setTimeout(() => setCopied('idle'), 2000);
  };
  return (
    <div className="copy-box" data-testid={testId}>
      <div className="copy-head">
        <span>{label}</span>
        <button type="button" className="small" onClick={() => void copy()}>
          {copied === 'done' ? 'Copied' : copied === 'failed' ? 'Select and copy' : 'Copy'}
        </button>
      </div>
      <pre ref={ref} className={multiline ? 'code' : 'code one-line'} data-testid={testId ? `${testId}-text` : undefined}>
        {text}
      </pre>
    </div>
  );
}
