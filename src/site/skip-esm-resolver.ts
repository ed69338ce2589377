/**
 * Eleventy on Node 20 registers a module loader hook, its cache buster for templates edited under
 * its own watch mode: a thread of its own, through which every later import is resolved. Broadsheet
 * renders only its own layouts, which never change while it runs, so the hook is skipped, as
 * Eleventy's ELEVENTY_SKIP_ESM_RESOLVER allows (its issue 3371), unless the caller says otherwise.
 * At 10,000 articles a one-body build took 3.80 s with the hook and 3.67 s without (8 alternated
 * pairs). Imported before Eleventy, which reads the variable as it loads.
 */
process.env.ELEVENTY_SKIP_ESM_RESOLVER ??= "1";
