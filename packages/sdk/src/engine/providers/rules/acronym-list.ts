/**
 * Acronyms common enough that a general reader needs no definition: units, time zones,
 * countries and institutions, job titles, everyday business and technology terms. Anything
 * else must be spelled out on first use (or allowed through the provider's options).
 */
export const COMMON_ACRONYMS: readonly string[] =
  // time zones and time
  (
    'UTC GMT CET CEST EET EEST WET WEST BST IST EST EDT CST CDT MST MDT PST PDT JST KST AEST AEDT ' +
    'SGT HKT AM PM ETA ETD ' +
    // places and institutions
    'US USA UK EU UN HM EMEA APAC LATAM NATO WHO NHS FBI IRS HMRC ISO IEEE ANSI ' +
    // titles and functions
    'CEO CFO CTO COO CIO CISO CPO CMO CRO VP SVP EVP HR IT PR QA QC R&D RD ' +
    // business and finance
    'KPI SLA SLO ROI FAQ FYI NDA LLC LTD PLC INC GDP VAT GST PO SKU B2B B2C P&L CRM ERP ' +
    'IBAN BIC SWIFT ATM POS GAAP IFRS SOX KYC AML ' +
    // technology
    'API APIS URL URLS URI HTTP HTTPS TLS SSL DNS IP TCP UDP SSH FTP SFTP VPN LAN WAN WIFI CPU GPU ' +
    'RAM ROM SSD HDD USB OS UI UX SQL JSON XML HTML CSS PDF CSV PNG JPEG GIF ID IDS SMS MMS QR ' +
    'GPS RFID CCTV LED LCD TV PC AI ML AWS GCP CI CD SDK IOS MFA SSO LDAP DDOS CVE VM VMS CDN ' +
    'SAAS IAAS PAAS OK SAP IBM HP GE DHL UPS ' +
    // regulation, safety and health
    'GDPR HIPAA PCI DSS OSHA FDA CE PPE ICU ER ED MRI CT ECG EEG IV CPR GP ' +
    // well-known regulations and regulators
    'RIDDOR COSHH HSE CCPA FCA PRA SEC NIST IEC EMA MHRA CQC OFSTED FAA EASA NTSB ' +
    // units
    'KB MB GB TB KM KG MM CM MPH KPH RPM DB'
  ).split(/\s+/);
