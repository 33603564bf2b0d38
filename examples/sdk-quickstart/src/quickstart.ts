import { fileURLToPath } from 'node:url';
import { Prism } from '@prism/sdk';

// In-process with the offline rules model; set PRISM_BASE_URL and PRISM_API_KEY to use a server.
const { PRISM_BASE_URL: baseUrl, PRISM_API_KEY: apiKey = '' } = process.env;
const prism = baseUrl ? new Prism({ baseUrl, apiKey }) : Prism.local();

const sample = new URL('../../documents/phishing-account-takeover.docx', import.meta.url);
const file = process.argv[2] ?? fileURLToPath(sample);
const { review, findings } = await prism.reviewFile(file);

console.log(`score ${review.summary?.score}/100, risk ${review.summary?.riskLevel}`);
for (const finding of findings) {
  console.log(`[${finding.severity}] #${finding.frameworkItems[0]?.number} ${finding.title}`);
}
await prism.close();
