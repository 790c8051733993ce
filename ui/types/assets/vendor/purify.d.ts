// /assets/vendor/purify.js is DOMPurify's own ES module build (api/routes/ui-pages.ts).
import DOMPurify from 'dompurify';
export default DOMPurify;
