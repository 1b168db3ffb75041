import type { FieldName } from './types.js';

/**
 * Document types as data: how to recognise each (keywords with weights) and where its key fields
 * are (regexes whose first capture group — or groups, joined — is the value). Classification and
 * extraction run on these rules alone, offline; a model may refine later but is not needed.
 * Patterns are written for both text-layer PDFs and OCR output (line breaks, stray symbols).
 */
export interface DocumentTypeRule {
  id: string;
  label: string;
  /** Each distinct pattern that matches adds its weight to the type's score. */
  keywords: Array<[RegExp, number]>;
  /** Score below which the type does not win. */
  minScore: number;
  /** Field patterns, tried in order; the first that yields a valid value wins. */
  fields: Partial<Record<FieldName, RegExp[]>>;
  /** Fields a filled form carries: when none is found the document is reported blank. */
  keyFields: FieldName[];
}

const DATE = String.raw`(\d{1,2}[/-]\d{1,2}[/-]\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2} [A-Za-z]{3,9},? \d{4}|[A-Za-z]{3,9} \d{1,2},? \d{4})`;
/** A dollar sign, thousands separators or cents: a bare `502` (a form's line number) is not money. */
const MONEY = String.raw`(?:\$\s?([\d,]+(?:\.\d{2})?)|(\d{1,3}(?:,\d{3})+(?:\.\d{2})?|\d+\.\d{2}))`;
/** Two to four capitalised words on one line (OCR names: JOHN STILES, Jane Doe). */
const NAME = String.raw`([A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+){1,3})`;
const re = (s: string, flags = '') => new RegExp(s, flags);


/** Every type the classifier knows. Order does not matter; the highest score wins. */
export const DOCUMENT_TYPES: DocumentTypeRule[] = [
  {
    id: 'loan_estimate', label: 'Loan Estimate',
    keywords: [[/Loan Estimate/i, 3], [/DATE ISSUED/, 2], [/APPLICANTS/, 1], [/Estimated Cash to Close/i, 2], [/RATE LOCK/, 1], [/LOAN ESTIMATE\b/, 1]],
    minScore: 4,
    fields: {
      loanAmount: [re(String.raw`Loan Amount[ \t]+${MONEY}`), re(String.raw`loan amount of ${MONEY}`, 'i')],
      interestRate: [/Interest Rate[ \t]+([\d.]+)\s*%/, /interest rate of ([\d.]+) percent/i],
      salePrice: [re(String.raw`SALE PRICE[ \t]+${MONEY}`), re(String.raw`sale price\s+of ${MONEY}`, 'i')],
      lender: [/\n([A-Z][A-Z0-9 &.,'-]{2,60})\n\d+ [^\n]*\n\s*Loan Estimate/, /\bLENDER[ \t]+([A-Z][^\n]{2,60})/],
      name: [re(String.raw`APPLICANTS[ \t]+${NAME}`)],
      coName: [re(String.raw`APPLICANTS[ \t]+[^\n]*? and ${NAME}`)],
      address: [/APPLICANTS[^\n]*\n([^\n]+)\n([^\n]+)/],
      propertyAddress: [/PROPERTY[ \t]+([^\n]+)\n([^\n]+)/],
      documentDate: [re(String.raw`DATE ISSUED[ \t]+${DATE}`)],
    },
    keyFields: ['loanAmount', 'interestRate', 'name'],
  },
  {
    id: 'closing_disclosure', label: 'Closing Disclosure',
    keywords: [[/CLOSING DISCLOSURE/, 4], [/Closing Information/i, 1], [/Cash to Close/i, 1], [/Loan Calculations/i, 1], [/Calculating Cash to Close/i, 1]],
    minScore: 4,
    fields: {
      loanAmount: [re(String.raw`Loan Amount[ \t]+${MONEY}`)],
      interestRate: [/Interest Rate[ \t]+([\d.]+)\s*%/],
      name: [re(String.raw`Borrower[ \t]+${NAME}`)],
      documentDate: [re(String.raw`Date Issued[ \t]+${DATE}`, 'i')],
      propertyAddress: [/Property[ \t]+(\d[^\n]+)\n([^\n]+)/],
    },
    keyFields: ['loanAmount', 'interestRate', 'documentDate'],
  },
  {
    id: 'settlement_statement', label: 'Settlement Statement (HUD-1)',
    keywords: [[/Settlement Statement/i, 3], [/HUD-1/, 2], [/Gross Amount Due from Borrower/i, 1], [/Contract sales price/i, 1]],
    minScore: 4,
    fields: {
      name: [re(String.raw`Name & Address of Borrower:[ \t]*${NAME}`)],
      loanAmount: [re(String.raw`Principal amount of new loan\(s\)[ \t]+${MONEY}`, 'i')],
      documentDate: [re(String.raw`Settlement Date:[ \t]*${DATE}`)],
    },
    keyFields: ['name', 'loanAmount', 'documentDate'],
  },
  {
    id: 'pay_stub', label: 'Pay stub',
    keywords: [[/Earnings Statement/i, 3], [/Net Pay/i, 2], [/Gross Pay/i, 2], [/Period ending/i, 1], [/Deductions/i, 1], [/year to date/i, 1], [/Pay stub/i, 3]],
    minScore: 4,
    fields: {
      name: [re(String.raw`\d{3}-\d{2}-\d{4}[ \t]+${NAME}`), re(String.raw`Employee(?: Name)?:?[ \t]+${NAME}`)],
      employer: [/Earnings Statement\n([A-Z][A-Za-z0-9 &.,'-]+?)[ \t]+Period ending/, /Employer:?[ \t]+([A-Z][^\n]{2,60})/],
      income: [re(String.raw`Gross Pay[ \t]*${MONEY}`)],
      documentDate: [re(String.raw`Pay date:?[ \t]*${DATE}`, 'i')],
      periodEnd: [re(String.raw`Period ending:?[ \t]*${DATE}`, 'i')],
    },
    keyFields: ['name', 'income', 'documentDate'],
  },
  {
    id: 'check', label: 'Cheque',
    keywords: [[/Payroll check/i, 3], [/NON-NEGOTIABLE/i, 2], [/VOID AFTER/i, 2], [/order of/i, 1], [/check number/i, 1], [/\bVOID\b/, 1]],
    minScore: 4,
    fields: {
      name: [re(String.raw`(?:order of|of):?[ \t]+${NAME}`)],
      employer: [/^([A-Z][A-Za-z0-9 &.,'-]+?)[ \t]+Payroll check/m],
      documentDate: [re(String.raw`(?:Pay )?date:?[ \t]*${DATE}`, 'i')],
    },
    keyFields: ['name', 'documentDate'],
  },
  {
    id: 'government_id', label: 'Government ID',
    keywords: [[/LICEN[CS]E/, 2], [/\bDOB\b/, 2], [/\bEXP\b/, 1], [/\bCLASS\b/, 1], [/\bISS\b/, 1], [/\bSEX\b/i, 1], [/\bHGT\b/, 1], [/PASSPORT/i, 3], [/IDENTIFICATION CARD/i, 3]],
    minScore: 4,
    fields: {
      expiryDate: [re(String.raw`EXP[^\n]*\n[^\n]*?\b${DATE}`), re(String.raw`EXP[^\n\d]{0,12}${DATE}`)],
      documentDate: [re(String.raw`ISS[^\n]*\n[^\n]*?\b${DATE}`), re(String.raw`ISS[^\n\d]{0,12}${DATE}`)],
      address: [/\n[^\dA-Za-z\n]*(?:[a-z]{1,3} )?(\d+ [A-Z0-9 ]+\b(?:STREET|ST|AVENUE|AVE|ROAD|RD|DRIVE|DR|LANE|LN|WAY|BLVD|COURT|CT)\b)\s*\n([A-Z][A-Z ,]+\d{5})/],
      /** Two lines of capitals right above the street line (first name, last name). */
      name: [/([A-Z]{2,})[ \t]*\n[^A-Za-z\n]*(?:[A-Za-z]{1,2}\W+)*([A-Z]{2,})[ \t]*\n[^\n]*?\d+ [A-Z0-9 ]+\b(?:STREET|ST|AVENUE|AVE|ROAD|RD|DRIVE|DR|LANE|LN|WAY|BLVD)\b/],
    },
    keyFields: ['name', 'expiryDate'],
  },
  {
    id: 'account_statement', label: 'Account statement',
    keywords: [[/ACCOUNT STATEMENT|BANK STATEMENT/i, 3], [/Statement Period/i, 2], [/Account Number/i, 1], [/Account Balance|Closing Balance|Opening Balance/i, 1]],
    minScore: 4,
    fields: {
      name: [re(String.raw`Account Name[ \t]+${NAME}`), re(String.raw`^${NAME}[ \t]+Statement Period`, 'm')],
      address: [/\n(\d+ [A-Z][^\n]*?)[ \t]+Account Number/],
      periodStart: [re(String.raw`Statement Period:?[ \t]+(?:from[ \t]+)?${DATE}[ \t]*(?:to|through|-|–)[ \t]`, 'i')],
      periodEnd: [re(String.raw`Statement Period[^\n]*?(?:to|through|-|–)[ \t]+${DATE}`, 'i')],
      documentDate: [re(String.raw`Statement Period[^\n]*?to[ \t]+${DATE}`, 'i'), re(String.raw`Statement Date:?[ \t]+${DATE}`, 'i')],
    },
    keyFields: ['name', 'documentDate'],
  },
  {
    id: 'w2', label: 'W-2',
    keywords: [[/Form W-2/i, 3], [/Wage and Tax Statement/i, 3], [/Employer identification number/i, 1], [/Social security wages/i, 1], [/Medicare/i, 1]],
    minScore: 4,
    fields: {
      name: [re(String.raw`first name and initial[ \t]+Last name[^\n]*\n[^A-Za-z\n]*(?:[A-Za-z]{1,2} )?([A-Z][a-z]+(?: [A-Z][a-z]+)*)`)],
      address: [/\n(\d+ [A-Z][^\n]*?),?[ \t]+[A-Z]{2},?\s*\n[^\n]*\n?f Employee/],
      documentDate: [/Form W-2[^\n]*?(\d{4})/],
    },
    keyFields: ['name'],
  },
  {
    id: 't4', label: 'T4',
    keywords: [[/Statement of Remuneration Paid/i, 4], [/\bT4\b/, 2], [/Employment income/i, 1]],
    minScore: 4,
    fields: { name: [re(String.raw`Employee's name[^\n]*\n${NAME}`, 'i')], income: [re(String.raw`Employment income[ \t]*${MONEY}`, 'i')], documentDate: [/\bYear[ \t]+(\d{4})/] },
    keyFields: ['name', 'income'],
  },
  {
    id: 'notice_of_assessment', label: 'Notice of assessment',
    keywords: [[/Notice of Assessment/i, 4], [/Canada Revenue Agency/i, 2], [/Total income/i, 1]],
    minScore: 4,
    fields: { name: [re(String.raw`Name:?[ \t]+${NAME}`)], income: [re(String.raw`Total income[^\n$]*${MONEY}`, 'i')], documentDate: [re(String.raw`Date issued:?[ \t]*${DATE}`, 'i')] },
    keyFields: ['name', 'income'],
  },
  {
    id: 'insurance_application', label: 'Insurance application',
    keywords: [[/Insurance Application/i, 4], [/Named Insured/i, 2], [/Policy Number/i, 1], [/Insured Property/i, 1]],
    minScore: 4,
    fields: {
      name: [re(String.raw`Primary Applicant Information[^\n]*\nName[ \t]*\n${NAME}[ \t]*\n`)],
      coName: [re(String.raw`Co-Applicant Information[^\n]*\nName[^\n]*\n${NAME}[ \t]*\n`)],
      documentDate: [re(String.raw`Effective Date[ \t]+Expiration Date[ \t]*\n\S+[ \t]+\S+[ \t]+\S+[ \t]+${DATE}`)],
    },
    keyFields: ['name', 'documentDate'],
  },
  {
    id: 'mortgage_application', label: 'Mortgage application',
    keywords: [[/Uniform Residential Loan Application/i, 4], [/Mortgage Application/i, 4], [/Form 1003/i, 2], [/Borrower Information/i, 1]],
    minScore: 4,
    fields: {
      name: [re(String.raw`(?:Borrower|Applicant) Name:?[ \t]+${NAME}`)],
      employer: [/Employer(?: Name)?:?[ \t]+([A-Z][^\n]{2,60})/],
      income: [re(String.raw`(?:Gross )?(?:Monthly|Annual) Income:?[ \t]*${MONEY}`, 'i')],
      loanAmount: [re(String.raw`Loan Amount:?[ \t]*${MONEY}`, 'i')],
      propertyAddress: [/Property Address:?[ \t]+([^\n]+)/i],
      documentDate: [re(String.raw`Date:?[ \t]+${DATE}`)],
    },
    keyFields: ['name', 'loanAmount'],
  },
  {
    id: 'purchase_agreement', label: 'Purchase agreement',
    keywords: [[/Purchase (?:and Sale )?Agreement|Agreement of Purchase and Sale/i, 4], [/\bBuyer\b/i, 1], [/\bSeller\b/i, 1], [/Purchase Price/i, 1]],
    minScore: 4,
    fields: {
      name: [re(String.raw`Buyer:?[ \t]+${NAME}`)],
      salePrice: [re(String.raw`Purchase Price:?[ \t]*${MONEY}`, 'i')],
      propertyAddress: [/Property(?: Address)?:?[ \t]+(\d[^\n]+)/i],
      documentDate: [re(String.raw`Date:?[ \t]+${DATE}`)],
    },
    keyFields: ['name', 'salePrice'],
  },
];

/** A type by id; undefined for `unknown` or a typo. */
export function documentType(id: string): DocumentTypeRule | undefined {
  return DOCUMENT_TYPES.find((t) => t.id === id);
}
