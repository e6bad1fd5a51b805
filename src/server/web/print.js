// The printable licence's 打印 button (served at /v/print.js: the page's CSP allows no inline script).
document.getElementById('print')?.addEventListener('click', () => window.print());
