import { describe, expect, it } from 'vitest';
import {
  historyDelta,
  isGuardedLinkClick,
  type LinkClick,
  type LinkTarget,
  leavesPageInApp,
} from './useUnsavedChangesGuard.ts';

const HERE = 'https://tandem.example/measures/m1?team=t1&tab=data';
const plain: LinkClick = {
  button: 0,
  metaKey: false,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  defaultPrevented: false,
};
const link = (href: string | null, extra: Partial<LinkTarget> = {}): LinkTarget => ({
  href,
  target: '',
  download: false,
  ...extra,
});

describe('isGuardedLinkClick', () => {
  it('asks about a plain left click on a link to another page of the app', () => {
    expect(isGuardedLinkClick(plain, link('/teams/t1'), HERE)).toBe(true);
    expect(isGuardedLinkClick(plain, link('https://tandem.example/improve'), HERE)).toBe(true);
    expect(isGuardedLinkClick(plain, link('/improve', { target: '_self' }), HERE)).toBe(true);
    expect(isGuardedLinkClick(plain, link('/improve', { target: ' _SELF ' }), HERE)).toBe(true);
  });

  it('asks about another tab of the same page: another query string is another page state', () => {
    expect(isGuardedLinkClick(plain, link('?team=t1&tab=chart'), HERE)).toBe(true);
    expect(isGuardedLinkClick(plain, link('/measures/m1?team=t2&tab=data'), HERE)).toBe(true);
    expect(isGuardedLinkClick(plain, link('/measures/m1'), HERE)).toBe(true);
  });

  it('lets through clicks that open a new tab or window, or download', () => {
    for (const key of ['metaKey', 'ctrlKey', 'shiftKey', 'altKey'] as const) {
      expect(isGuardedLinkClick({ ...plain, [key]: true }, link('/teams/t1'), HERE)).toBe(false);
    }
    expect(isGuardedLinkClick({ ...plain, button: 1 }, link('/teams/t1'), HERE)).toBe(false);
    expect(isGuardedLinkClick({ ...plain, button: 2 }, link('/teams/t1'), HERE)).toBe(false);
    expect(isGuardedLinkClick(plain, link('/teams/t1', { target: '_blank' }), HERE)).toBe(false);
    expect(isGuardedLinkClick(plain, link('/teams/t1', { target: 'other' }), HERE)).toBe(false);
    expect(isGuardedLinkClick(plain, link('/export.csv', { download: true }), HERE)).toBe(false);
  });

  it('lets through clicks already handled, and clicks not on a link', () => {
    expect(isGuardedLinkClick({ ...plain, defaultPrevented: true }, link('/x'), HERE)).toBe(false);
    expect(isGuardedLinkClick(plain, null, HERE)).toBe(false);
    expect(isGuardedLinkClick(plain, link(null), HERE)).toBe(false);
    expect(isGuardedLinkClick(plain, link('  '), HERE)).toBe(false);
  });

  it('lets through the current URL and in-page anchors', () => {
    expect(isGuardedLinkClick(plain, link(HERE), HERE)).toBe(false);
    expect(isGuardedLinkClick(plain, link('?team=t1&tab=data'), HERE)).toBe(false);
    expect(isGuardedLinkClick(plain, link('#main'), HERE)).toBe(false);
    expect(isGuardedLinkClick(plain, link('?team=t1&tab=data#cell-3'), HERE)).toBe(false);
  });

  it('leaves other sites and other schemes to the browser', () => {
    expect(isGuardedLinkClick(plain, link('https://example.org/'), HERE)).toBe(false);
    expect(isGuardedLinkClick(plain, link('//example.org/x'), HERE)).toBe(false);
    expect(isGuardedLinkClick(plain, link('http://tandem.example/teams'), HERE)).toBe(false);
    expect(isGuardedLinkClick(plain, link('mailto:someone@example.org'), HERE)).toBe(false);
    expect(isGuardedLinkClick(plain, link('javascript:void(0)'), HERE)).toBe(false);
  });
});

describe('leavesPageInApp', () => {
  it('compares path and query on the same origin, ignoring the fragment', () => {
    expect(leavesPageInApp(HERE, '/projects/p1')).toBe(true);
    expect(leavesPageInApp(HERE, `${HERE}#top`)).toBe(false);
    expect(leavesPageInApp(`${HERE}#top`, HERE)).toBe(false);
    expect(leavesPageInApp(HERE, 'https://tandem.example:8443/x')).toBe(false);
    expect(leavesPageInApp('not a url', '/x')).toBe(false);
  });
});

describe('historyDelta', () => {
  it('counts the entries between the router’s indexes', () => {
    expect(historyDelta({ idx: 4, key: 'a' }, { idx: 3, key: 'b' })).toBe(1);
    expect(historyDelta({ idx: 4 }, { idx: 1 })).toBe(3);
    expect(historyDelta({ idx: 2 }, { idx: 5 })).toBe(-3);
  });

  it('gives null without two different indexes', () => {
    expect(historyDelta({ idx: 2 }, { idx: 2 })).toBeNull();
    expect(historyDelta(null, { idx: 2 })).toBeNull();
    expect(historyDelta({ idx: 2 }, undefined)).toBeNull();
    expect(historyDelta({ idx: '2' }, { idx: 1 })).toBeNull();
    expect(historyDelta({ usr: null }, { idx: 1 })).toBeNull();
  });
});
