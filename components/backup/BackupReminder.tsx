// The popup's monthly "no backup" reminder (docs/backup.md): shown to users with passkeys who
// never exported, at most once a month (the worker decides and counts). Never in a prompt.
import { useEffect, useState } from 'preact/hooks';
import { askBackup } from './backup-client';

export function BackupReminder({ onOpen }: { onOpen: () => void }) {
  const [show, setShow] = useState(false);
  useEffect(() => {
    let live = true;
    void askBackup({ type: 'backup:reminder' }).then((answer) => live && answer.ok && setShow(answer.show));
    return () => {
      live = false;
    };
  }, []);
  if (!show) return null;
  return (
    <p class="banner backup-reminder" role="status" data-testid="backup-reminder">
      Your passkeys have no backup. If this browser profile is lost, so are they.{' '}
      <button type="button" class="button link" onClick={onOpen}>Back up now</button>
      <button type="button" class="button link" onClick={() => setShow(false)} aria-label="Dismiss">✕</button>
    </p>
  );
}
