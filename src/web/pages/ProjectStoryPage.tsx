/**
 * A project's one-page "improvement story" (issue 6): title, team, network, status and date; the
 * aim with baseline → target and the outcome measure's latest value; the problem; the driver
 * diagram; the outcome measure's chart with its annotations, goal and signals; the PDSA ramps with
 * each cycle's scale, decision and learning. Laid out to print on one A4 or Letter page; on
 * screen the same sheet, centred, with "Print or save as PDF" and "Download as HTML" (the sheet
 * and the app's styles in one self-contained file). Aggregates only: no student-level data.
 */
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Button, ButtonLink, ErrorState, Skeleton } from '../components/index.ts';
import { isStatus } from '../features/coalition/forms.ts';
import { statusLabel, type Project } from '../features/planning/model.ts';
import { useProject } from '../features/planning/queries.ts';
import {
  StoryAim,
  StoryChart,
  StoryCycles,
  StoryDiagram,
  StoryProblem,
  useStoryMeasure,
} from '../features/planning/StoryParts.tsx';
import { Page } from '../layout/Page.tsx';
import NotFoundPage from './NotFoundPage.tsx';
import '../styles/story.css';

const TODAY = new Intl.DateTimeFormat('en', { dateStyle: 'long' });

export default function ProjectStoryPage() {
  const { id = '' } = useParams();
  const project = useProject(id);
  const data = project.data?.data;
  if (!data) {
    if (isStatus(project.error, 404)) {
      return (
        <NotFoundPage
          record="project"
          actions={<ButtonLink to="/improve">See your projects</ButtonLink>}
        />
      );
    }
    return (
      <Page heading="Improvement story" breadcrumbs={[{ to: '/improve', label: 'Improve' }]}>
        {project.isPending && <Skeleton lines={8} label="Loading the project…" />}
        {project.isError && (
          <ErrorState
            title="Could not load this project"
            error={project.error}
            onRetry={() => project.refetch()}
            retrying={project.isFetching}
          />
        )}
      </Page>
    );
  }
  return <Story project={data} />;
}

/** Text safe to put in HTML. */
function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** The app's style rules (same origin, so readable), for the exported file to look the same. */
function collectCss(): string {
  const rules: string[] = [];
  for (const sheet of Array.from(document.styleSheets)) {
    try {
      for (const rule of Array.from(sheet.cssRules)) rules.push(rule.cssText);
    } catch {
      // A stylesheet of another origin cannot be read; the app has none.
    }
  }
  return rules.join('\n');
}

export function storyFileName(title: string, day: Date): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `improvement-story-${slug || 'project'}-${day.toISOString().slice(0, 10)}.html`;
}

/** The story as one self-contained HTML file: the sheet, its heading and the styles inline. */
function downloadStoryHtml(sheet: HTMLElement, title: string, now: Date) {
  const clone = sheet.cloneNode(true) as HTMLElement;
  // Links point into the app; in a file they would lead nowhere, so they become plain text.
  // (An HTML element inside an <svg> would end the drawing when the file is parsed, so an SVG
  // link becomes an SVG group.)
  const SVG_NS = 'http://www.w3.org/2000/svg';
  for (const a of Array.from(clone.querySelectorAll('a'))) {
    const plain =
      a.namespaceURI === SVG_NS
        ? document.createElementNS(SVG_NS, 'g')
        : document.createElement('span');
    const cls = a.getAttribute('class');
    if (cls) plain.setAttribute('class', cls);
    const label = a.getAttribute('aria-label');
    if (label) {
      plain.setAttribute('role', 'img');
      plain.setAttribute('aria-label', label);
    }
    plain.append(...Array.from(a.childNodes));
    a.replaceWith(plain);
  }
  for (const el of Array.from(clone.querySelectorAll('[tabindex]'))) el.removeAttribute('tabindex');
  for (const el of Array.from(clone.querySelectorAll('.story-no-print, button'))) el.remove();
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Improvement story: ${title}`)}</title>
<style>
${collectCss()}
</style>
</head>
<body class="story-export">
<main class="story-page">
<h1 class="story-export__title">${escapeHtml(title)}</h1>
${clone.outerHTML}
</main>
</body>
</html>
`;
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = storyFileName(title, now);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The printable height of the smaller of A4 and US Letter (279 mm less 2 × 12 mm), in CSS px. */
const PAGE_HEIGHT_PX = (255 / 25.4) * 96;
/** Room for the title above the sheet when printed. */
const TITLE_PX = 32;

/**
 * A long story (a long aim, many cycles) would spill onto a second page: just before printing,
 * shrink the sheet to fit, and restore it afterwards. The sheet on screen is as wide as the
 * printed page's content box, so its height on screen is what it will be on paper.
 */
function useFitOnePage(sheet: { current: HTMLElement | null }) {
  useEffect(() => {
    const fit = () => {
      const el = sheet.current;
      if (!el) return;
      el.style.zoom = '';
      const style = getComputedStyle(el);
      const content =
        el.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      const scale = (PAGE_HEIGHT_PX - TITLE_PX) / content;
      if (scale < 1) el.style.zoom = String(Math.max(0.6, Math.floor(scale * 100) / 100));
    };
    const restore = () => {
      if (sheet.current) sheet.current.style.zoom = '';
    };
    window.addEventListener('beforeprint', fit);
    window.addEventListener('afterprint', restore);
    return () => {
      window.removeEventListener('beforeprint', fit);
      window.removeEventListener('afterprint', restore);
    };
  }, [sheet]);
}

function Story({ project }: { project: Project }) {
  const sheet = useRef<HTMLElement>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  useFitOnePage(sheet);
  const story = useStoryMeasure(project);
  const now = new Date();
  const projectPath = `/projects/${project.id}`;
  return (
    <div className="story-page">
      <Page
        heading={project.title}
        title={`${project.title} — improvement story`}
        breadcrumbs={[
          { to: '/improve', label: 'Improve' },
          { to: `/teams/${project.team_id}`, label: project.team_name },
          { to: projectPath, label: project.title },
        ]}
        lead={
          <span className="story-no-print">
            The project’s improvement story on one page, to print, save as PDF or share as an HTML
            file.
          </span>
        }
        actions={
          <>
            <Button variant="primary" className="story-no-print" onClick={() => window.print()}>
              Print or save as PDF
            </Button>
            <Button
              className="story-no-print"
              onClick={() => {
                setExportError(null);
                const el = sheet.current;
                if (!el) return;
                try {
                  downloadStoryHtml(el, project.title, now);
                } catch (error) {
                  setExportError(error instanceof Error ? error.message : 'The download failed.');
                }
              }}
            >
              Download as HTML
            </Button>
            <ButtonLink className="story-no-print" to={projectPath}>
              Back to the project
            </ButtonLink>
          </>
        }
      >
        {exportError && (
          <div className="alert alert--error story-no-print" role="alert">
            {exportError}
          </div>
        )}
        <article ref={sheet} className="story" aria-label={`Improvement story: ${project.title}`}>
          <header className="story__header">
            <p className="story__kicker">Improvement story</p>
            <p className="story__meta">
              <span>
                Team <strong>{project.team_name}</strong>
              </span>
              <span>
                Network <strong>{project.network_name}</strong>
              </span>
              <span>
                Status <strong>{statusLabel(project.status)}</strong>
              </span>
              {project.charter_id && project.charter_title && (
                <span>
                  Network aim{' '}
                  <Link to={`/charters/${project.charter_id}`}>{project.charter_title}</Link>
                </span>
              )}
              <span>
                <time dateTime={now.toISOString().slice(0, 10)}>{TODAY.format(now)}</time>
              </span>
            </p>
          </header>
          <div className="story__top">
            <StoryAim project={project} story={story} />
            <StoryProblem project={project} />
          </div>
          <StoryDiagram project={project} />
          <StoryChart story={story} />
          <StoryCycles project={project} />
          <footer className="story__footer">
            Exported from Tandem on {TODAY.format(now)} · aggregates only
          </footer>
        </article>
      </Page>
    </div>
  );
}
