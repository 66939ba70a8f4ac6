import { Suspense, useEffect, useId, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import { AREAS } from '../areas.tsx';
import { Button, Loading, SkipLink } from '../components/index.ts';
import { AccountMenu } from '../features/accounts/AccountMenu.tsx';
import { useCoalition } from '../features/coalition/queries.ts';
import { PRODUCT_NAME } from '../lib/hooks.ts';

// Networks and their teams are the coalition's structure, which the areas' work hangs from
// (Improve's projects and measures belong to teams): first after Home.
const NAV_ITEMS = [
  { path: '/', label: 'Home' },
  { path: '/networks', label: 'Networks' },
  ...AREAS,
];

export function Layout() {
  const coalition = useCoalition();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButtonRef = useRef<HTMLButtonElement>(null);
  const navId = useId();

  // A followed link closes the menu.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every navigation
  useEffect(() => setMenuOpen(false), [location.pathname]);

  return (
    <div className="app">
      <SkipLink />
      <header className="app-header">
        <div className="app-header__bar">
          <div className="brand">
            <Link to="/" className="brand__product">
              {PRODUCT_NAME}
            </Link>
            {coalition.data && (
              <span className="brand__coalition" data-testid="coalition-name">
                {coalition.data.name}
              </span>
            )}
          </div>
          <AccountMenu />
          <Button
            ref={menuButtonRef}
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls={navId}
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span aria-hidden="true">{menuOpen ? '✕' : '☰'}</span> Menu
          </Button>
        </div>
        <nav
          id={navId}
          aria-label="Primary"
          className={menuOpen ? 'primary-nav primary-nav--open' : 'primary-nav'}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && menuOpen) {
              setMenuOpen(false);
              menuButtonRef.current?.focus();
            }
          }}
        >
          <ul className="primary-nav__list">
            {NAV_ITEMS.map((item) => (
              <li key={item.path}>
                <NavLink to={item.path} end={item.path === '/'} className="primary-nav__link">
                  {item.label}
                </NavLink>
              </li>
            ))}
            {/* Public tools, for anyone, after the areas. */}
            <li className="primary-nav__item--secondary">
              <NavLink to="/chart-studio" className="primary-nav__link">
                Chart studio
              </NavLink>
            </li>
            <li>
              {/* Served by the API server, not a page of this app: a plain link. */}
              <a href="/api/docs" className="primary-nav__link">
                API docs
              </a>
            </li>
          </ul>
        </nav>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Suspense fallback={<Loading label="Loading the page…" />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="app-footer">
        <div className="app-footer__inner">
          <span>{PRODUCT_NAME} — open-source software for education improvement coalitions</span>
          <a href="/api/docs">API documentation</a>
        </div>
      </footer>
    </div>
  );
}
