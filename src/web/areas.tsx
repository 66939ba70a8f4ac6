import type { ReactNode } from 'react';
import { Link } from 'react-router';

export interface Area {
  path: string;
  label: string;
  /** One line for the home page's area cards. */
  summary: string;
  /** What the area is for, in the product brief's words. */
  purpose: ReactNode;
  emptyTitle: string;
  /** What will be here, and the first step once the area exists. */
  emptyBody: ReactNode;
}

const pdsa = <abbr title="Plan, Do, Study, Act: a small, fast test of a change">PDSA</abbr>;

/** The product's areas, in navigation order (Home is separate). */
export const AREAS: readonly Area[] = [
  {
    path: '/improve',
    label: 'Improve',
    summary: 'Networked improvement: aims, driver diagrams, PDSA cycles and measures.',
    purpose: (
      <>
        Improve together. Teams state a problem of practice and an aim, build a driver diagram (aim
        → primary drivers → secondary drivers → change ideas), run {pdsa} cycles and track outcome,
        process and balancing measures on run charts and control charts. The hub sees every team
        side by side and learns from variation across settings.
      </>
    ),
    emptyTitle: 'No improvement projects yet',
    emptyBody: (
      <p>
        Teams&rsquo; projects, driver diagrams, {pdsa} cycles and measures appear here. Start on a{' '}
        <Link to="/networks">network</Link>: a facilitator writes its charter (problem of practice,
        aim, driver diagram, common measures), then each team starts a project from it. The{' '}
        <Link to="/chart-studio">chart studio</Link> draws run and control charts from any numbers.
      </p>
    ),
  },
  {
    path: '/learn',
    label: 'Learn',
    summary: 'What worked where, for whom and under what conditions, across sites.',
    purpose: (
      <>
        Learn from variation across settings: for each change idea, the {pdsa} cycles and measures
        of every team that tested it, side by side, so the network sees which change ideas worked
        where, for whom and under what conditions.
      </>
    ),
    emptyTitle: 'Nothing to compare yet',
    emptyBody: (
      <p>
        The change idea × site learning matrix fills in as teams test change ideas in {pdsa} cycles
        and report their measures. It needs improvement work first: start in{' '}
        <Link to="/improve">Improve</Link>.
      </p>
    ),
  },
  {
    path: '/practices',
    label: 'Practices',
    summary: 'A practice library rated by an explicit evidence framework.',
    purpose: (
      <>
        Identify, share and recognize effective practices. A practice library whose entries are
        described with a common taxonomy and rated by an explicit, versioned evidence framework that
        combines research evidence (
        <abbr title="Every Student Succeeds Act evidence tiers 1 to 4">ESSA tiers</abbr>, What Works
        Clearinghouse study standards) with practice-based evidence from the network&rsquo;s own{' '}
        {pdsa} cycles and measures. A review protocol recognizes practices and the practitioners
        behind them.
      </>
    ),
    emptyTitle: 'The practice library is empty',
    emptyBody: (
      <p>
        Practices submitted by teams and partners, their evidence ratings and review decisions will
        be listed here. The first step is to submit a practice for review — that is not available in
        this version of Tandem yet.
      </p>
    ),
  },
  {
    path: '/map',
    label: 'Map',
    summary: 'The ecosystem directory: organisations and how they connect.',
    purpose: (
      <>
        Map the ecosystem: the districts, schools, charter networks, nonprofits, intermediaries,
        funders, universities, agencies, networks and community organisations in this coalition, and
        the relationships between them.
      </>
    ),
    emptyTitle: 'No organisations yet',
    emptyBody: <p>Add the organisations that work with this coalition.</p>,
  },
  {
    path: '/barriers',
    label: 'Barriers',
    summary: 'A register of systemic barriers, each with an owner and a status.',
    purpose: (
      <>
        Surface barriers. Teams and partners raise systemic, policy, funding, capacity and data
        barriers; others endorse them; the hub themes them across sites and routes them to the level
        that owns them (school, district, city, county, state) and to the policy or funding lever
        that can act. A barrier is never lost: it has an owner and a status.
      </>
    ),
    emptyTitle: 'No barriers raised yet',
    emptyBody: (
      <p>
        The barrier register will list every barrier with its owner, status and endorsements. The
        first step is for a team or partner to raise a barrier — that is not available in this
        version of Tandem yet.
      </p>
    ),
  },
  {
    path: '/focus',
    label: 'Focus',
    summary: 'Where improvement and facilitation resources should go next, and why.',
    purpose: (
      <>
        Advise where to focus: a transparent, explainable view of where continuous-improvement and
        facilitation resources should go next — teams that have stalled, change ideas ready to
        spread, barriers with the widest reach, gaps in the map, funding that does not meet need.
        Every recommendation says which rule produced it and from which data.
      </>
    ),
    emptyTitle: 'No recommendations yet',
    emptyBody: (
      <p>
        Recommendations are derived from improvement work, barriers and the map; there is not enough
        of that here yet. Adding organisations to the Map is a first step.
      </p>
    ),
  },
  {
    path: '/community',
    label: 'Community',
    summary: 'Discussions, convenings and published lessons learned.',
    purpose: (
      <>
        The community of practice: discussions, convenings with agendas, notes and action items, and
        published lessons learned with discussion guides.
      </>
    ),
    emptyTitle: 'No discussions or convenings yet',
    emptyBody: (
      <p>
        Discussions, convenings and lessons learned will appear here. Starting a discussion or
        scheduling a convening is not available in this version of Tandem yet.
      </p>
    ),
  },
];
