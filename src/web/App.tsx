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
const SignInPage = lazy(() => import('./pages/SignInPage.tsx'));
const ProfilePage = lazy(() => import('./pages/ProfilePage.tsx'));
const ApiTokensPage = lazy(() => import('./pages/ApiTokensPage.tsx'));
const ForgotPasswordPage = lazy(() => import('./pages/ForgotPasswordPage.tsx'));
const ResetPasswordPage = lazy(() => import('./pages/ResetPasswordPage.tsx'));
const AcceptInvitationPage = lazy(() => import('./pages/AcceptInvitationPage.tsx'));
const NetworksPage = lazy(() => import('./pages/NetworksPage.tsx'));
const NewNetworkPage = lazy(() => import('./pages/NewNetworkPage.tsx'));
const NetworkPage = lazy(() => import('./pages/NetworkPage.tsx'));
const TeamPage = lazy(() => import('./pages/TeamPage.tsx'));
const AdminUsersPage = lazy(() => import('./pages/AdminUsersPage.tsx'));
const AuditLogPage = lazy(() => import('./pages/AuditLogPage.tsx'));
const ChartStudioPage = lazy(() => import('./pages/ChartStudioPage.tsx'));
const ImprovePage = lazy(() => import('./pages/ImprovePage.tsx'));
const CharterPage = lazy(() => import('./pages/CharterPage.tsx'));
const ProjectPage = lazy(() => import('./pages/ProjectPage.tsx'));
const ProjectStoryPage = lazy(() => import('./pages/ProjectStoryPage.tsx'));
const ChangeIdeaPage = lazy(() => import('./pages/ChangeIdeaPage.tsx'));
const PdsaCyclePage = lazy(() => import('./pages/PdsaCyclePage.tsx'));
const PdsaLogPage = lazy(() => import('./pages/PdsaLogPage.tsx'));
const MeasurePage = lazy(() => import('./pages/MeasurePage.tsx'));
const NetworkDashboardPage = lazy(() => import('./pages/NetworkDashboardPage.tsx'));

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<HomePage />} />
        <Route path="map" element={<MapPage />} />
        <Route path="map/organisations/new" element={<NewOrganisationPage />} />
        <Route path="map/organisations/:id" element={<OrganisationPage />} />
        <Route path="sign-in" element={<SignInPage />} />
        <Route path="profile" element={<ProfilePage />} />
        <Route path="profile/tokens" element={<ApiTokensPage />} />
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="accept-invitation" element={<AcceptInvitationPage />} />
        <Route path="networks" element={<NetworksPage />} />
        <Route path="networks/new" element={<NewNetworkPage />} />
        <Route path="networks/:id" element={<NetworkPage />} />
        <Route path="teams/:id" element={<TeamPage />} />
        <Route path="admin/users" element={<AdminUsersPage />} />
        <Route path="admin/audit" element={<AuditLogPage />} />
        <Route path="chart-studio" element={<ChartStudioPage />} />
        <Route path="improve" element={<ImprovePage />} />
        <Route path="charters/:id" element={<CharterPage />} />
        <Route path="charters/:id/dashboard" element={<NetworkDashboardPage />} />
        <Route path="projects/:id" element={<ProjectPage />} />
        <Route path="projects/:id/story" element={<ProjectStoryPage />} />
        <Route path="change-ideas/:id" element={<ChangeIdeaPage />} />
        <Route path="cycles/:id" element={<PdsaCyclePage />} />
        <Route path="pdsa" element={<PdsaLogPage />} />
        <Route path="measures/:id" element={<MeasurePage />} />
        {AREAS.filter((area) => area.path !== '/map' && area.path !== '/improve').map((area) => (
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
