const mb = () => (process.memoryUsage().rss / 2 ** 20).toFixed(1);
const base = mb();
for (const m of process.argv.slice(2)) { const before = mb(); await import(m); console.log(m, before, '→', mb()); }
