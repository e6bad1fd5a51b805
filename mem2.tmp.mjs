const mb = () => (process.memoryUsage().rss / 2 ** 20).toFixed(0) + 'MB heap ' + (process.memoryUsage().heapUsed / 2 ** 20).toFixed(0) + ' ext ' + (process.memoryUsage().external / 2 ** 20).toFixed(0) + ' ab ' + (process.memoryUsage().arrayBuffers / 2 ** 20).toFixed(0);
console.log('node', mb());
const { Jieba } = await import('@node-rs/jieba');
const { dict } = await import('@node-rs/jieba/dict.js');
console.log('jieba module+dict buffer', mb(), dict.length);
const j = Jieba.withDict(dict);
console.log('jieba loaded', mb());
globalThis.gc?.();
console.log('after gc', mb());
