// /assets/vendor/marked.js is the marked package's own ES module build (api/routes/ui-pages.ts).
export * from 'marked';
