/**
 * What the chart says, in words: one line per signal (the engine's own sentence, naming the rule
 * and the points), a summary of each phase, the rules that could not be judged and why, and the
 * engine's phase suggestions.
 */
import type { RuleId, SpcChartResult } from '../../../core/spc/types.ts';
import { Button } from '../Button.tsx';
import {
  capitalise,
  classOfPattern,
  describePart,
  notEvaluableReason,
  POINT_COLOURS,
  type PointClass,
  RULE_NAMES,
} from './explain.ts';
import { markerPath } from './geometry.ts';

export interface SpcSignalsProps {
  result: SpcChartResult;
  /** For the heading: "I chart", "Moving ranges". Left out when the chart has one panel. */
  panelName?: string;
  headingLevel: 2 | 3 | 4;
  decimals: number;
  unit?: string | undefined;
  /** The class of every point, for each signal's marker. */
  classes: readonly PointClass[];
  /** Offered next to each suggested phase: "Start a new phase after point 12". */
  onAcceptPhase?: ((after: number) => void) | undefined;
}

function Swatch({ cls }: { cls: PointClass }) {
  const d = markerPath(cls, 7, 7, 4.5);
  return (
    <svg className="spc-swatch" width="14" height="14" aria-hidden="true" focusable="false">
      {d ? (
        <path d={d} fill={POINT_COLOURS[cls]} />
      ) : (
        <circle cx={7} cy={7} r={4.5} fill={POINT_COLOURS[cls]} />
      )}
    </svg>
  );
}

export function SpcSignals({
  result,
  panelName,
  headingLevel,
  decimals,
  unit,
  classes,
  onAcceptPhase,
}: SpcSignalsProps) {
  const Heading = `h${headingLevel}` as 'h2' | 'h3' | 'h4';
  const multiPart = result.parts.length > 1;
  const lineName = result.chart === 'run' ? 'median' : 'centre line';
  return (
    <div className="spc-signals">
      <Heading className="spc-signals__heading">
        Signals{panelName ? ` — ${panelName}` : ''}
      </Heading>
      {result.patterns.length === 0 ? (
        <p className="spc-signals__none" data-testid="spc-no-signals">
          No signals: the points vary around the {lineName} the way common-cause (everyday)
          variation does. Do not react to single ups and downs.
        </p>
      ) : (
        <ul className="spc-signals__list" data-testid="spc-signals">
          {result.patterns.map((pattern) => (
            <li
              key={`${pattern.rule}-${pattern.points[0]}-${pattern.points.length}`}
              className="spc-signals__item"
            >
              <Swatch cls={classOfPattern(pattern, result, classes)} />
              <span>
                <strong>{RULE_NAMES[pattern.rule]}</strong>
                {multiPart && <span className="spc-muted"> (phase {pattern.part})</span>}:{' '}
                {pattern.description} <code className="spc-rule-id">{pattern.rule}</code>
              </span>
            </li>
          ))}
        </ul>
      )}
      <ul className="spc-parts">
        {result.parts.map((part) => {
          const byReason = new Map<string, RuleId[]>();
          for (const rule of part.notEvaluable) {
            const reason = notEvaluableReason(rule);
            byReason.set(reason, [...(byReason.get(reason) ?? []), rule]);
          }
          return (
            <li key={part.part}>
              {multiPart && <strong>Phase {part.part}, </strong>}
              {multiPart
                ? describePart(result, part, { decimals, unit })
                : capitalise(describePart(result, part, { decimals, unit }))}
              {[...byReason].map(([reason, rules]) => (
                <span key={reason} className="spc-parts__not-evaluable">
                  {' '}
                  {rules.map((r) => RULE_NAMES[r]).join(', ')} (
                  {rules.map((r, i) => (
                    <span key={r}>
                      {i > 0 && ', '}
                      <code>{r}</code>
                    </span>
                  ))}
                  ): {reason} — not the same as &ldquo;no signal&rdquo;.
                </span>
              ))}
            </li>
          );
        })}
      </ul>
      {result.suggestedPhases.length > 0 && (
        <div className="spc-suggestions">
          {result.suggestedPhases.map((s) => (
            <div key={s.after} className="alert spc-suggestion">
              <p>
                <strong>Suggestion:</strong> {s.reason}{' '}
                <span className="spc-muted">
                  ({RULE_NAMES[s.rule]}, <code>{s.rule}</code>)
                </span>
              </p>
              {onAcceptPhase && (
                <div className="alert__actions">
                  <Button onClick={() => onAcceptPhase(s.after)}>
                    Start a new phase after point {s.after}
                  </Button>
                </div>
              )}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
