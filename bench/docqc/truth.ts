/**
 * What the shared mortgage documents (`shared/data/mortgage/`) contain, read by a person from the
 * pages: the documents of each file (pages, type) and their key fields (money in cents, ISO dates).
 * The W-2 scan's employee first name is unreadable; its name is checked by surname.
 */
export interface TruthDocument {
  pages: number[];
  type: string;
  blank?: boolean;
  fields: Record<string, string>;
}

const PAY_STUB = { type: 'pay_stub', fields: { name: 'John Stiles', employer: 'Any Company Corp', income: '45243', documentDate: '2008-07-25', periodEnd: '2008-07-18' } };
const CHECK = { type: 'check', fields: { name: 'John Stiles', employer: 'Any Company Corp', documentDate: '2008-07-25' } };
const ID = { type: 'government_id', fields: { name: 'Maria Garcia', expiryDate: '2028-01-20', documentDate: '2018-03-18', address: '100 Market Street, Bigtown, MA, 02801' } };
const STATEMENT = { type: 'account_statement', fields: { name: 'Jane Doe', documentDate: '2021-05-31', periodEnd: '2021-05-31', address: '100 Main Street, Anytown, USA' } };
const W2 = { type: 'w2', fields: { name: 'Desai', address: '123 Any Street, Any Town, USA' } };
const INSURANCE = { type: 'insurance_application', fields: { name: 'Alejandro Rosalez', coName: 'Jane Doe', documentDate: '2020-10-20' } };

export const TRUTH: Record<string, TruthDocument[]> = {
  'CFPB_Loan_Estimate.pdf': [{
    pages: [1, 2, 3, 4], type: 'loan_estimate',
    fields: { loanAmount: '16200000', salePrice: '18000000', interestRate: '3.875', lender: 'Ficus Bank', name: 'Michael Jones', coName: 'Mary Stone', documentDate: '2013-02-15', address: '123 Anywhere Street, Anytown, ST 12345', propertyAddress: '456 Somewhere Avenue, Anytown, ST 12345' },
  }],
  'CFPB_Closing_Disclosure.pdf': [{ pages: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], type: 'closing_disclosure', blank: true, fields: {} }],
  'HUD1_Settlement_Statement.pdf': [{ pages: [1, 2, 3], type: 'settlement_statement', blank: true, fields: {} }],
  'homeowner_insurance_application_sample.pdf': [{ pages: [1], type: 'insurance_application', blank: true, fields: {} }],
  'lending_package.pdf': [PAY_STUB, CHECK, ID, STATEMENT, W2, INSURANCE].map((d, i) => ({ ...d, pages: [i + 1] })),
  'lending_package_pay_stub.pdf': [{ ...PAY_STUB, pages: [1] }],
  'lending_package_check.pdf': [{ ...CHECK, pages: [1] }],
  'lending_package_ID_Card.pdf': [{ ...ID, pages: [1] }],
  'lending_package_account_statement.pdf': [{ ...STATEMENT, pages: [1] }],
  'lending_package_w2.pdf': [{ ...W2, pages: [1] }],
};
