import { createWebhookConsumer } from './consumer.js';

const secrets = (process.env.PRISM_WEBHOOK_SECRET ?? '')
  .split(',')
  .map((secret) => secret.trim())
  .filter((secret) => secret !== '');
if (secrets.length === 0) {
  console.error(
    'Set PRISM_WEBHOOK_SECRET to the endpoint secret (whsec_...), or several, comma-separated.',
  );
  process.exit(1);
}
const port = Number(process.env.PORT ?? 3000);

createWebhookConsumer({ secret: secrets }).listen(port, () => {
  console.log(`Listening for Prism webhooks on http://localhost:${port}`);
});
