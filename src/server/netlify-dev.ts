import { NetlifyDev } from '@netlify/dev';

/**
 * The opt-in emulation of `schemagate serve --netlify-dev`: the same
 * functions through `@netlify/dev`, which bundles them and runs each request
 * in a fresh worker as Netlify would. Seconds per request: a check that the
 * deployment shape works, not a server. Loaded only when asked for.
 *
 * @example
 * const dev = await startNetlifyDev(projectRoot, 'http://localhost:8888');
 * const response = await dev.handle(request);
 */
export async function startNetlifyDev(projectRoot: string, serverAddress: string) {
  const dev = new NetlifyDev({
    projectRoot,
    serverAddress,
    skipGitignore: true,
    functions: { enabled: true },
    edgeFunctions: { enabled: false },
    blobs: { enabled: false },
    database: { enabled: false },
    environmentVariables: { enabled: false },
    geolocation: { enabled: false },
    images: { enabled: false },
    aiGateway: { enabled: false },
    staticFiles: { enabled: false },
    redirects: { enabled: false },
    headers: { enabled: false },
  });
  await dev.start();
  return {
    handle: async (request: Request): Promise<Response | undefined> => await dev.handle(request),
    stop: () => dev.stop(),
  };
}
