import { it } from 'vitest';
import { startStack } from './stack';
import { auditPages, scoreTable } from './lighthouse';
it('probe', async () => {
  const stack = await startStack();
  try {
    const rows = await auditPages([
      { name: 'home', url: `${stack.baseUrl}/` },
      { name: 'weather', url: `${stack.baseUrl}/weather` },
    ]);
    console.log(scoreTable(rows));
    for (const r of rows) console.log(r.name, r.failing.join('\n  '));
  } finally {
    await stack.stop();
  }
}, 600_000);
