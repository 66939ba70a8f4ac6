import { Button } from './Button.tsx';

export interface SaveStatusProps {
  /** The 412 message when someone else changed the record since it was loaded, else null. */
  conflict: string | null;
  onReload: () => void;
  reloading: boolean;
  /** "Saved. …" after a successful save. */
  saved: string | null;
  nothingChanged: boolean;
}

/**
 * What an edit form says after Save: a conflict with someone else's change (and a Reload that
 * replaces the form with their version), "Saved", or "Nothing to save". Announced to screen
 * readers: the conflict as an alert, the rest as a status.
 */
export function SaveStatus({
  conflict,
  onReload,
  reloading,
  saved,
  nothingChanged,
}: SaveStatusProps) {
  return (
    <>
      {conflict && (
        <div className="alert alert--warning" role="alert">
          <p className="alert__title">{conflict}</p>
          <p>Reloading replaces the form with their version; copy anything you want to keep.</p>
          <div className="alert__actions">
            <Button
              variant="primary"
              onClick={onReload}
              loading={reloading}
              loadingLabel="Reloading…"
            >
              Reload
            </Button>
          </div>
        </div>
      )}
      <div role="status">
        {saved && <div className="alert alert--success">{saved}</div>}
        {nothingChanged && <div className="alert">Nothing to save: no field has changed.</div>}
      </div>
    </>
  );
}
