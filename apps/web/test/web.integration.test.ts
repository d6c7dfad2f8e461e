// The page in a real browser (Debian's chromium through playwright-core) against the daemon as a
// process on SQLite and a real MariaDB 1+2, under URLPrefix /orc with "multi" auth: an admin who
// may mutate and the user "readonly" who may not. The daemon publishes primaries to its internal
// KV store and to a real etcd.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEtcd, startMariaDbTopology, type EtcdServer, type MariaDbTopology } from '@orc/testenv';
import { waitFor } from '@orc/testkit';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startDaemonProcess, type DaemonProcess } from '../../server/test/support/daemon-process.js';
import { launchChromium, openRecovery, SCREENSHOT_DIR } from './support/browser.js';
import { etcdGateway } from './support/etcd-gateway.js';

const PREFIX = '/orc';
const ALIAS = 'main';
const ADMIN = { username: 'admin', password: 'secret' };
const auth = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64')}`;

let topo: MariaDbTopology;
let etcd: EtcdServer;
let orc: DaemonProcess;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
let cluster: string;

const api = async (path: string): Promise<{ status: number; body: unknown }> =>
  orc.get(`${PREFIX}${path}`, { headers: { authorization: auth } });
const key = (name: 'primary' | 'r1' | 'r2'): string =>
  `127.0.0.1:${name === 'primary' ? topo.primary.port : topo.instance(name).port}`;
const pageUrl = (hash: string): string => `${orc.url}${PREFIX}/web/?poll=500${hash}`;
const etcdPut = (k: string, v: string): Promise<void> => etcdGateway(etcd.endpoint).put(k, v);
const etcdGet = (k: string): Promise<string | undefined> => etcdGateway(etcd.endpoint).get(k);

beforeAll(async () => {
  execFileSync(process.execPath, [join(import.meta.dirname, '../scripts/build.mjs')]);
  [topo, etcd] = await Promise.all([startMariaDbTopology({ shape: '1+2' }), startEtcd()]);
  // The recovery proves a promoted server writable by writing to orc_meta.write_probe.
  await topo.primary.query(`GRANT ALL ON orc_meta.* TO '${topo.orcUser.user}'@'%'`);
  await topo.waitCaughtUp();
  orc = await startDaemonProcess({
    waitHealthy: false,
    config: {
      BackendDB: 'sqlite',
      MySQLTopologyUser: topo.orcUser.user,
      MySQLTopologyPassword: topo.orcUser.password,
      // The graceful takeover points the demoted primary at the new one with these.
      ReplicationUser: topo.replUser.user,
      ReplicationPassword: topo.replUser.password,
      InstancePollSeconds: 1,
      RecoverMasterClusterFilters: ['*'],
      ClusterNameToAlias: { '.*': ALIAS },
      URLPrefix: PREFIX,
      AuthenticationMethod: 'multi',
      HTTPAuthUser: ADMIN.username,
      HTTPAuthPassword: ADMIN.password,
      EtcdEndpoints: [etcd.endpoint],
    },
  });
  await waitFor(
    'the daemon answers',
    async () => {
      try {
        return (await api('/api/health')).status === 200;
      } catch {
        // Connection refused until the daemon listens: that is what this poll waits out.
        return false;
      }
    },
    { timeoutMs: 60_000 },
  );
  expect((await api(`/api/discover/127.0.0.1/${topo.primary.port}`)).status).toBe(200);
  cluster = key('primary');
  await waitFor('the cluster has three instances', async () => {
    const res = await api(`/api/cluster/${cluster}`);
    return res.status === 200 && (res.body as unknown[]).length === 3;
  });
  browser = await launchChromium();
  admin = await browser.newContext({ httpCredentials: ADMIN, viewport: { width: 1280, height: 800 } });
  page = await admin.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  const code = await orc?.stop();
  await topo?.stop();
  await etcd?.destroy();
  expect(code).toBe(0);
}, 60_000);

const nodeKeys = async (p: Page, selector: string): Promise<string[]> =>
  p.locator(selector).evaluateAll((els) => els.map((e) => e.getAttribute('data-key') ?? ''));

describe('the web page', () => {
  it('is served at <URLPrefix>/web/, and <URLPrefix>/ redirects there', async () => {
    const res = await fetch(`${orc.url}${PREFIX}/`, { headers: { authorization: auth }, redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${PREFIX}/web/`);
    const html = await fetch(`${orc.url}${PREFIX}/web/`, { headers: { authorization: auth } });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toContain('src="app.js"');
    expect((await fetch(`${orc.url}${PREFIX}/web/`)).status).toBe(401);
  });

  it('lists the cluster with its primary and instance count', async () => {
    await page.goto(pageUrl('#/clusters'));
    const row = page.locator(`tr[data-cluster="${cluster}"]`);
    await row.waitFor();
    expect(await row.locator('td').nth(1).textContent()).toBe(cluster);
    expect(await row.locator('td').nth(2).textContent()).toBe('3');
  }, 60_000);

  it("shows each KV store's status for the cluster, a store naming another primary, and its repair", async () => {
    const kvKey = `mysql/master/${ALIAS}`;
    const row = page.locator(`tr[data-cluster="${cluster}"]`);
    const store = (name: string, inSync?: boolean) =>
      row.locator(`li.kv-store[data-store="${name}"]${inSync === undefined ? '' : `[data-in-sync="${inSync}"]`}`);
    await page.goto(pageUrl('#/clusters'));
    // The daemon publishes the primary once it is seen: the internal store and etcd both name it.
    for (const name of ['internal', 'etcd']) {
      await store(name, true).waitFor({ timeout: 30_000 });
      expect(await store(name).textContent()).toContain(`${name} in sync`);
      expect(await store(name).getAttribute('title')).toContain(`${kvKey} = ${cluster}`);
    }
    expect(await etcdGet(kvKey)).toBe(cluster);
    // Someone else writes etcd: the page shows that etcd names another server, without a reload.
    // (Written again if the reconciler's schedule repaired it meanwhile.)
    const stale = '10.9.9.9:3306';
    await waitFor(
      'the clusters page shows etcd naming the stale server',
      async () => {
        if ((await etcdGet(kvKey)) !== stale) await etcdPut(kvKey, stale);
        return (await store('etcd').getAttribute('data-in-sync')) === 'false';
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(await store('etcd').textContent()).toContain(`etcd names ${stale}`);
    expect(await store('internal').getAttribute('data-in-sync')).toBe('true');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'clusters-kv-stale.png'), fullPage: true });
    // The operator submits the primary again: the outcome is shown and etcd names it again.
    await row.locator('[data-action="submit-kv"]').click();
    await page.locator('#outcome.ok', { hasText: 'Submitted' }).waitFor();
    await store('etcd', true).waitFor({ timeout: 30_000 });
    expect(await store('etcd').textContent()).toMatch(/written/);
    expect(await etcdGet(kvKey)).toBe(cluster);
    // The API the page reads says the same, store by store.
    const status = (await api('/api/kv-status')).body as {
      Clusters: { ClusterName: string; Stores: { Store: string; Value: string; InSync: boolean }[] }[];
    };
    expect(status.Clusters.find((c) => c.ClusterName === cluster)?.Stores).toEqual([
      expect.objectContaining({ Store: 'internal', Value: cluster, InSync: true }),
      expect.objectContaining({ Store: 'etcd', Value: cluster, InSync: true }),
    ]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'clusters.png'), fullPage: true });
  }, 90_000);

  it("lists the KV stores' health on the health page", async () => {
    await page.goto(pageUrl('#/health'));
    const table = page.locator('table.kv-health');
    await table.waitFor();
    expect(
      await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-store'))),
    ).toEqual(['internal', 'etcd']);
    expect(await table.locator('tr[data-store="internal"]').textContent()).toContain('desired state');
    // The reconciler compared etcd with the internal store when the daemon became active.
    const etcdRow = table.locator('tr[data-store="etcd"][data-state="healthy"]');
    await etcdRow.waitFor({ timeout: 30_000 });
    expect(await etcdRow.locator('td').nth(4).textContent()).toMatch(/\(ok\)$/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'health.png'), fullPage: true });
  }, 60_000);

  it("shows a failed Submit to KV with the store's error, and etcd down on the health page until it is back", async () => {
    const row = page.locator(`tr[data-cluster="${cluster}"]`);
    await etcd.stop();
    await page.goto(pageUrl('#/clusters'));
    await row.locator('[data-action="submit-kv"]').click();
    // The fan-out gives etcd its request timeout before the API answers.
    const failed = page.locator('#outcome.error[role="alert"]');
    await failed.waitFor({ timeout: 30_000 });
    const text = (await failed.textContent()) ?? '';
    expect(text).toContain('Submit masters to KV failed');
    expect(text).toContain('KV write failed on etcd');
    expect(text).toContain('HTTP 500');
    const etcdLine = row.locator('li.kv-store[data-store="etcd"][data-in-sync="false"]');
    await etcdLine.waitFor({ timeout: 30_000 });
    expect(await etcdLine.textContent()).toContain('etcd error');
    expect(await row.locator('li.kv-store[data-store="internal"]').getAttribute('data-in-sync')).toBe('true');
    await page.goto(pageUrl('#/health'));
    await page.locator('table.kv-health tr[data-store="etcd"][data-state="down"]').waitFor({ timeout: 30_000 });
    // Back: the reconciler's probe finds it and compares again, without anyone running a command.
    await etcd.start();
    await page.locator('table.kv-health tr[data-store="etcd"][data-state="healthy"]').waitFor({ timeout: 90_000 });
    expect(await etcdGet(`mysql/master/${ALIAS}`)).toBe(cluster);
  }, 180_000);

  it('draws the three instances as a tree: the primary left, both replicas right of it', async () => {
    await page.goto(pageUrl(`#/cluster/${encodeURIComponent(cluster)}`));
    await page.locator('.node').nth(2).waitFor();
    expect(await nodeKeys(page, '.tree > .branch > .node')).toEqual([key('primary')]);
    expect((await nodeKeys(page, '.tree > .branch > .children > .branch > .node')).sort()).toEqual(
      [key('r1'), key('r2')].sort(),
    );
    // The visual check: three boxes drawn, replicas stacked in one column right of the primary.
    // Measured until every box is laid out inside the viewport (a poll's re-render or a late
    // font may be mid-way); when the deadline passes, the failure prints the last boxes by key.
    const measure = async () =>
      page.locator('.node').evaluateAll((els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          return { key: e.getAttribute('data-key'), x: r.x, y: r.y, w: r.width, h: r.height };
        }),
      );
    const drawn = (x: { x: number; w: number; h: number }): boolean =>
      x.w > 0 && x.h > 0 && x.x >= 0 && x.x + x.w <= 1280;
    let last: Awaited<ReturnType<typeof measure>> = [];
    const boxes = await waitFor(
      'three boxes laid out inside the 1280 px viewport',
      async () => {
        last = await measure();
        return last.length === 3 && last.every(drawn) && last;
      },
      { timeoutMs: 15_000, diagnose: () => ({ boxes: last, viewport: page.viewportSize() }) },
    );
    expect(boxes).toHaveLength(3);
    const [p, a, b] = boxes as [(typeof boxes)[0], (typeof boxes)[0], (typeof boxes)[0]];
    expect(a.x).toBeGreaterThan(p.x + p.w);
    expect(b.x).toBe(a.x);
    expect(b.y).toBeGreaterThan(a.y);
    const primaryCard = page.locator(`.node[data-key="${key('primary')}"]`);
    expect(await primaryCard.textContent()).toMatch(/writable.*MariaDB GTID|writable/);
    expect(await page.locator(`.node[data-key="${key('r1')}"]`).textContent()).toMatch(/read_only.*lag \d+s/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'cluster.png'), fullPage: true });
  }, 60_000);

  it('begins a downtime from the page: it shows, and /api/downtimed lists it', async () => {
    await page.goto(pageUrl(`#/cluster/${encodeURIComponent(cluster)}`));
    await page.locator(`.node[data-key="${key('r1')}"]`).click();
    await page.locator(`aside[data-details="${key('r1')}"]`).waitFor();
    const form = page.locator('form[data-action="begin-downtime"]');
    await form.locator('input[name="reason"]').fill('upgrade');
    await form.locator('button[type="submit"]').click();
    await page.locator('#outcome.ok').waitFor();
    expect(await page.locator('#outcome').textContent()).toContain(`Downtime begun: ${key('r1')}`);
    const listed = (await api('/api/downtimed')).body as { Key: unknown; DowntimeReason: string }[];
    expect(listed).toEqual([
      expect.objectContaining({
        Key: { Hostname: '127.0.0.1', Port: topo.instance('r1').port },
        DowntimeReason: 'upgrade',
      }),
    ]);
    await page.locator(`.node[data-key="${key('r1')}"] .badge.downtime`).waitFor();
    await page.locator('[data-action="end-downtime"]').click();
    await page.locator('#outcome.ok', { hasText: 'Downtime ended' }).waitFor();
    expect((await api('/api/downtimed')).body).toEqual([]);
  }, 60_000);

  it("shows an action's API error instead of swallowing it", async () => {
    await page.goto(pageUrl(`#/cluster/${encodeURIComponent(cluster)}`));
    await page.locator(`.node[data-key="${key('r2')}"]`).click();
    await page.locator(`aside[data-details="${key('r2')}"]`).waitFor();
    const form = page.locator('form[data-action="begin-downtime"]');
    await form.locator('input[name="duration"]').fill('soon');
    await form.locator('button[type="submit"]').click();
    await page.locator('#outcome.error').waitFor();
    const text = await page.locator('#outcome').textContent();
    expect(text).toContain('failed');
    expect(text).toContain('duration');
    expect(text).toContain('HTTP 400');
    expect((await api('/api/downtimed')).body).toEqual([]);
  }, 60_000);

  it('asks before relocating a dragged instance, naming the call, and runs nothing on cancel', async () => {
    await page.goto(pageUrl(`#/cluster/${ALIAS}`));
    // The previous test left another cluster page: drag only once the navigation's render replaced
    // it, else that render detaches the node mid-drag and the drop never lands (seen under load).
    await page.locator('h1', { hasText: `Cluster ${ALIAS}` }).waitFor();
    await page.locator('.node').nth(2).waitFor();
    await page.locator(`.node[data-key="${key('r2')}"]`).dragTo(page.locator(`.node[data-key="${key('r1')}"]`));
    const dialog = page.locator('dialog.confirm[open]');
    await dialog.waitFor();
    const [r1, r2] = [topo.instance('r1').port, topo.instance('r2').port];
    expect(await dialog.locator('.will-run').textContent()).toBe(`POST /api/relocate/127.0.0.1/${r2}/127.0.0.1/${r1}`);
    await dialog.locator('button[value="cancel"]').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.locator('#outcome').textContent()).toBe('');
    const replica = (await api(`/api/instance/127.0.0.1/${r2}`)).body as { MasterKey: { Port: number } };
    expect(replica.MasterKey.Port).toBe(topo.primary.port);
  }, 60_000);

  it("asks before a relocate from the details form or a graceful takeover, naming orchestrator's paths", async () => {
    const [r1, r2] = [topo.instance('r1').port, topo.instance('r2').port];
    await page.goto(pageUrl(`#/cluster/${ALIAS}`));
    await page.locator('h1', { hasText: `Cluster ${ALIAS}` }).waitFor();
    await page.locator(`.node[data-key="${key('r1')}"]`).click();
    const details = page.locator(`aside[data-details="${key('r1')}"]`);
    await details.waitFor();
    const dialog = page.locator('dialog.confirm[open]');
    const cancel = async (): Promise<void> => {
      await dialog.locator('button[value="cancel"]').click();
      await dialog.waitFor({ state: 'detached' });
    };
    await details.locator('form[data-action="relocate"] select[name="below"]').selectOption(key('r2'));
    await details.locator('form[data-action="relocate"] button[type="submit"]').click();
    await dialog.waitFor();
    expect(await dialog.locator('.will-run').textContent()).toBe(`POST /api/relocate/127.0.0.1/${r1}/127.0.0.1/${r2}`);
    await cancel();
    await details.locator('[data-action="graceful-takeover"]').click();
    await dialog.waitFor();
    expect(await dialog.locator('.will-run').textContent()).toBe(
      `POST /api/graceful-master-takeover/${ALIAS}/127.0.0.1/${r1}`,
    );
    await cancel();
    // Nothing ran: no outcome, and the primary is still the primary.
    expect(await page.locator('#outcome').textContent()).toBe('');
    const master = (await api(`/api/master/${ALIAS}`)).body as { Key: { Port: number } };
    expect(master.Key.Port).toBe(topo.primary.port);
  }, 60_000);

  it('gives the user "readonly" no mutating control', async () => {
    const ro = await browser.newContext({ httpCredentials: { username: 'readonly', password: 'any' } });
    const roPage = await ro.newPage();
    try {
      await roPage.goto(pageUrl(`#/cluster/${encodeURIComponent(cluster)}`));
      await roPage.locator('.node').nth(2).waitFor();
      await roPage.locator(`.node[data-key="${key('r1')}"]`).click();
      await roPage.locator('aside.details').waitFor();
      expect(await roPage.locator('#user').textContent()).toBe('readonly (read-only)');
      expect(await roPage.locator('[data-action], button.act, form').count()).toBe(0);
      expect(await roPage.locator('[draggable="true"]').count()).toBe(0);
      await roPage.goto(pageUrl('#/clusters'));
      await roPage.locator(`tr[data-cluster="${cluster}"]`).waitFor();
      expect(await roPage.locator('[data-action], button.act').count()).toBe(0);
    } finally {
      await ro.close();
    }
    // Sanity: the same checks find controls for the admin, so the zero above means something.
    await page.goto(pageUrl('#/clusters'));
    await page.locator(`tr[data-cluster="${cluster}"] [data-action="submit-kv"]`).waitFor();
  }, 60_000);

  it('fits a phone width and opens details from the keyboard', async () => {
    const phone = await browser.newContext({ httpCredentials: ADMIN, viewport: { width: 390, height: 844 } });
    const p = await phone.newPage();
    try {
      for (const hash of ['#/clusters', `#/cluster/${ALIAS}`, '#/problems', '#/recoveries', '#/health']) {
        await p.goto(pageUrl(hash));
        await p.locator('h1').waitFor();
        // Wide content (the tree, tables) scrolls inside its own box; the page itself does not.
        expect([hash, await p.evaluate(() => document.documentElement.scrollWidth)]).toEqual([hash, 390]);
      }
      await p.goto(pageUrl(`#/cluster/${ALIAS}`));
      await p.locator(`.node[data-key="${key('r2')}"]`).focus();
      await p.keyboard.press('Enter');
      await p.locator(`aside[data-details="${key('r2')}"]`).waitFor();
      await p.keyboard.press('Tab');
      expect(await p.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON');
    } finally {
      await phone.close();
    }
  }, 60_000);

  it('shows the promoted primary live, without reloading, when the primary is killed', async () => {
    await page.goto(pageUrl(`#/cluster/${ALIAS}`));
    await page.locator('.node').nth(2).waitFor();
    expect(await nodeKeys(page, '.tree > .branch > .node')).toEqual([key('primary')]);
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const replicas = [key('r1'), key('r2')];
    await topo.primary.kill();
    // The daemon's recovery promotes a replica and the alias follows it: the tree's root becomes
    // a former replica, writable, with the other replica below it.
    const root = page.locator('.tree > .branch > .node', { has: page.locator('.rw') });
    await waitFor(
      'the page shows a former replica as the writable primary',
      async () => {
        const keys = await nodeKeys(page, '.tree > .branch > .node');
        const promoted = keys.find((k) => replicas.includes(k));
        return promoted !== undefined && (await root.count()) === 1 ? promoted : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const promoted = (await nodeKeys(page, '.tree > .branch > .node'))[0] ?? '';
    const other = replicas.find((k) => k !== promoted) ?? '';
    await page.locator(`.tree > .branch > .children > .branch > .node[data-key="${other}"]`).waitFor();
    await page.locator('.last-recovery', { hasText: `promoted ${promoted}` }).waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'cluster-after-failover.png'), fullPage: true });
    await page.goto(pageUrl('#/recoveries'));
    const recovery = page.locator('details.recovery.succeeded', { hasText: promoted });
    await recovery.locator('summary').click();
    await recovery.locator('ol.steps li').first().waitFor();
    expect(await recovery.locator('summary .chip').textContent()).toBe('DeadMaster');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'recoveries.png'), fullPage: true });
    // The KV stores followed: etcd names the promoted primary under the alias.
    await page.goto(pageUrl('#/clusters'));
    await page
      .locator(`tr[data-cluster="${promoted}"] li.kv-store[data-store="etcd"][data-in-sync="true"]`)
      .waitFor({ timeout: 30_000 });
    expect(await etcdGet(`mysql/master/${ALIAS}`)).toBe(promoted);
  }, 120_000);

  it('gives the user "readonly" no Acknowledge button on the recoveries page, and no action on the health page', async () => {
    const ro = await browser.newContext({ httpCredentials: { username: 'readonly', password: 'any' } });
    const roPage = await ro.newPage();
    try {
      await roPage.goto(pageUrl('#/recoveries'));
      const recovery = await openRecovery(roPage);
      await recovery.locator('ol.steps li').first().waitFor();
      expect(await roPage.locator('[data-action], button.act, form').count()).toBe(0);
      await roPage.goto(pageUrl('#/health'));
      await roPage.locator('table.kv-health').waitFor();
      expect(await roPage.locator('[data-action], button.act, form').count()).toBe(0);
    } finally {
      await ro.close();
    }
    // The admin, on the same recovery, has the button: the zero above is not a page that failed to draw.
    await page.goto(pageUrl('#/recoveries'));
    await (await openRecovery(page)).locator('[data-action="ack-recovery"]').waitFor();
  }, 60_000);

  it('runs a graceful takeover from the page after confirmation, and shows its outcome and the new tree', async () => {
    // After the failover above: the promoted primary has the other replica as its only one.
    await page.goto(pageUrl(`#/cluster/${ALIAS}`));
    const primary = await waitFor(
      'the tree has a root',
      async () => (await nodeKeys(page, '.tree > .branch > .node'))[0],
    );
    const designated = await waitFor('the root has one replica', async () => {
      const below = await nodeKeys(page, '.tree > .branch > .children > .branch > .node');
      return below.length === 1 ? below[0] : undefined;
    });
    await page.locator(`.node[data-key="${designated}"]`).click();
    await page.locator(`aside[data-details="${designated}"] [data-action="graceful-takeover"]`).click();
    const dialog = page.locator('dialog.confirm[open]');
    await dialog.waitFor();
    const [host, port] = designated.split(':');
    expect(await dialog.locator('.will-run').textContent()).toMatch(
      new RegExp(`^POST /api/graceful-master-takeover/[^/]+/${host}/${port}$`),
    );
    await dialog.locator('button[value="ok"]').click();
    await page.locator('#outcome.ok', { hasText: 'graceful-master-takeover: successor promoted' }).waitFor({
      timeout: 60_000,
    });
    await waitFor(
      'the page shows the designated replica as the primary, the old one below it',
      async () =>
        (await nodeKeys(page, '.tree > .branch > .node'))[0] === designated &&
        (await nodeKeys(page, '.tree > .branch > .children > .branch > .node')).includes(primary),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const audited = (await api('/api/audit-recovery')).body as { AnalysisEntry: { Analysis: string } }[];
    expect(audited[0]?.AnalysisEntry.Analysis).toBe('GracefulMasterTakeover');
  }, 120_000);
});
