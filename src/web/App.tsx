import { lazy } from 'react';
import { Route, Routes } from 'react-router';
import { AREAS } from './areas.tsx';
import { Layout } from './layout/Layout.tsx';
import HomePage from './pages/HomePage.tsx';

// Pages other than Home load on first visit, so the first paint ships only the shell.
const AreaPage = lazy(() => import('./pages/AreaPage.tsx'));
const MapPage = lazy(() => import('./pages/MapPage.tsx'));
const OrganisationPage = lazy(() => import('./pages/OrganisationPage.tsx'));
const NewOrganisationPage = lazy(() => import('./pages/NewOrganisationPage.tsx'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage.tsx'));

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<HomePage />} />
        <Route path="map" element={<MapPage />} />
        <Route path="map/organisations/new" element={<NewOrganisationPage />} />
        <Route path="map/organisations/:id" element={<OrganisationPage />} />
        {AREAS.filter((area) => area.path !== '/map').map((area) => (
          <Route
            key={area.path}
            path={area.path.slice(1)}
            element={<AreaPage key={area.path} area={area} />}
          />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
