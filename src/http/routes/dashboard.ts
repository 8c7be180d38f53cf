import { statuses } from '../../domain/lifecycle.ts';
import { dashboardHtml } from '../dashboard-page.ts';

const page = dashboardHtml.replace('__STATUSES__', JSON.stringify(statuses));

/** The review dashboard: a static page; the data comes from the API with the viewer's token. */
export async function dashboardRoute(): Promise<Response> {
  return new Response(page, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      // The page only talks to this origin and runs only its own inline script.
      'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
      'cache-control': 'no-store',
    },
  });
}
