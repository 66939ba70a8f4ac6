/** The chart as a table: every point with its centre line, limits, phase and signals. */
import type { SpcChartResult, SpcPattern, SpcPoint } from '../../../core/spc/types.ts';
import { type Column, Table } from '../Table.tsx';
import { POINT_CLASS_LABELS, type PointClass, RULE_NAMES, signalsOfPoint } from './explain.ts';
import { formatValue } from './scales.ts';

export interface SpcDataTableProps {
  caption: string;
  result: SpcChartResult;
  classes: readonly PointClass[];
  patternsAt: Map<number, SpcPattern[]>;
  decimals: number;
  unit?: string | undefined;
}

interface Row {
  point: SpcPoint;
  cls: PointClass;
}

export function SpcDataTable({
  caption,
  result,
  classes,
  patternsAt,
  decimals,
  unit,
}: SpcDataTableProps) {
  const d = decimals + 1;
  const value = (v: number | null) => formatValue(v, d, unit);
  const lineName = result.chart === 'run' ? 'Median' : 'CL';
  const columns: Column<Row>[] = [
    {
      key: 'index',
      header: 'Point',
      rowHeader: true,
      className: 'table__cell--number',
      cell: (r) => r.point.index,
    },
    {
      key: 'label',
      header: 'Label',
      className: 'table__cell--nowrap',
      cell: (r) => r.point.label ?? '',
    },
    {
      key: 'value',
      header: 'Value',
      className: 'table__cell--number',
      cell: (r) =>
        r.point.y === null ? (
          <span className="spc-muted">missing</span>
        ) : (
          <>
            {value(r.point.y)}
            {r.point.excluded && <span className="table__cell-note">excluded</span>}
          </>
        ),
    },
    {
      key: 'cl',
      header: lineName,
      className: 'table__cell--number',
      cell: (r) => value(r.point.cl),
    },
    ...(result.chart === 'run'
      ? []
      : [
          {
            key: 'lcl',
            header: 'LCL',
            className: 'table__cell--number',
            cell: (r: Row) => value(r.point.lcl),
          },
          {
            key: 'ucl',
            header: 'UCL',
            className: 'table__cell--number',
            cell: (r: Row) => value(r.point.ucl),
          },
        ]),
    ...(result.parts.length > 1
      ? [
          {
            key: 'part',
            header: 'Phase',
            className: 'table__cell--number',
            cell: (r: Row) => r.point.part,
          },
        ]
      : []),
    {
      key: 'signals',
      header: 'Signals',
      className: 'spc-table__signals',
      cell: (r) => {
        const signals = signalsOfPoint(r.point, patternsAt.get(r.point.index));
        if (signals.length === 0) return r.point.y === null ? '' : 'none';
        return (
          <>
            <span className="spc-table__class">{POINT_CLASS_LABELS[r.cls]}</span>
            <ul className="spc-table__rules">
              {signals.map((s) => (
                <li key={s.rule}>
                  {RULE_NAMES[s.rule]} <code>{s.rule}</code>
                </li>
              ))}
            </ul>
          </>
        );
      },
    },
  ];
  const rows: Row[] = result.points.map((point, i) => ({ point, cls: classes[i] ?? 'common' }));
  return (
    <Table
      caption={caption}
      captionNote={`${result.points.length} points`}
      columns={columns}
      rows={rows}
      rowKey={(r) => String(r.point.index)}
    />
  );
}
