// Every name that the types of @openfin/servicenow 1.0.1 export, used as the
// kind of thing it is there: classes constructed and matched with instanceof,
// functions called, types used as types, and every member of ServiceNowEntities.
// anchor-names.txt lists the same names for names.test.mjs.

import * as sn from '@snworker/servicenow';
import type { ServiceNowEntities as E } from '@snworker/servicenow';

// Classes (6).
export const errors: sn.ApiError[] = [
  new sn.ApiError('m'),
  new sn.ApiRequestError('m', 404),
  new sn.AuthorizationError('m'),
  new sn.AuthTokenExpiredError('m'),
  new sn.InitializationError('m'),
  new sn.ParameterError('m'),
];

export function describe(err: unknown): string {
  if (err instanceof sn.ApiRequestError) return `status ${err.status}`;
  if (err instanceof sn.AuthTokenExpiredError) return `expired: ${JSON.stringify(err.data)}`;
  if (err instanceof sn.AuthorizationError) return 'sign-in failed';
  if (err instanceof sn.InitializationError) return 'not started';
  if (err instanceof sn.ParameterError) return 'bad argument';
  if (err instanceof sn.ApiError) return err.message;
  return String(err);
}

// Functions (3).
export async function use(clientId: string): Promise<void> {
  sn.enableLogging();
  sn.disableLogging();
  const conn: sn.ServiceNowConnection = await sn.connect('https://acme.service-now.com', clientId);
  await conn.disconnect();
}

// Types (9 with ServiceNowConnection), with the shapes code written for the package relies on.
export async function types(conn: sn.ServiceNowConnection): Promise<void> {
  const method: sn.HttpMethod = 'PATCH';
  const headers: sn.ApiRequestHeaders = { 'X-No-Response-Body': 'false' };
  const flow: sn.AuthFlowParams = { prompt: 'login' };
  const windowOptions: sn.AuthWindowOptions = { defaultWidth: 500, defaultHeight: 650, frame: true };
  await sn.connect('https://acme.service-now.com', 'id', ['useraccount'], flow, windowOptions);

  const res: sn.ServiceNowRestApiResponse<E.Core.Incident[]> =
    await conn.executeApiRequest<E.Core.Incident[]>('/api/now/table/incident', method, { active: true }, false, headers);
  const status: number = res.status;
  const type: string | undefined = res.type;
  const first: E.Core.Incident | undefined = res.data?.[0];
  const number: string | undefined = first?.number;
  console.log(status, type, number);

  // snworker adds the response headers, always present.
  const list = await conn.executeApiRequest<E.CSM.Consumer[]>('/api/now/table/csm_consumer?sysparm_limit=1');
  const total: string | undefined = list.headers['x-total-count'];
  console.log(total);

  const body: sn.ServiceNowRestApiResult<E.Core.User> = { result: conn.currentUser };
  const failure: sn.ServiceNowRestApiErrorResponse = { error: { message: 'No Record found', detail: null }, status: 'failure' };
  const detail: sn.ServiceNowRestApiError = failure.error;
  console.log(body.result.user_name, detail.message, conn.clientId, conn.instanceUrl);
}

// ServiceNowEntities (a namespace): every member of Core, CSM and FSO.
// Core: 20
type Core = [
  E.Core.ApplicationFile,
  E.Core.Attachment,
  E.Core.BaseEntity,
  E.Core.ChangeModel,
  E.Core.ChangeRequest,
  E.Core.Company,
  E.Core.Contact,
  E.Core.DescendentEntity,
  E.Core.Incident,
  E.Core.Link,
  E.Core.LinkWithDisplayValue,
  E.Core.LinkWithValue,
  E.Core.Problem,
  E.Core.ProblemTask,
  E.Core.SoldProduct,
  E.Core.StateFlow,
  E.Core.StateTransitionModel,
  E.Core.Task,
  E.Core.TaskActivity,
  E.Core.User,
];
// CSM: 27
type CSM = [
  E.CSM.Account,
  E.CSM.AccountRelationship,
  E.CSM.AccountRelationshipAccess,
  E.CSM.AccountRelationshipType,
  E.CSM.AccountTeamMember,
  E.CSM.AddressType,
  E.CSM.Appointment,
  E.CSM.Case,
  E.CSM.CaseReport,
  E.CSM.Consumer,
  E.CSM.ConsumerUser,
  E.CSM.Contact,
  E.CSM.ContactRelationship,
  E.CSM.CustomerInteraction,
  E.CSM.CustomerServiceCaseFlow,
  E.CSM.Entitlement,
  E.CSM.Escalation,
  E.CSM.EscalationSeverity,
  E.CSM.EscalationTemplate,
  E.CSM.Household,
  E.CSM.HouseholdMember,
  E.CSM.OrderCase,
  E.CSM.RegistrationRequest,
  E.CSM.RelatedParty,
  E.CSM.RelatedPartyConfiguration,
  E.CSM.ResponsibilityDefinition,
  E.CSM.Task,
];
// FSO: 94
type FSO = [
  E.FSO.AccountLifecycleServiceCase,
  E.FSO.AccountLifecycleTask,
  E.FSO.AutoLoan,
  E.FSO.BusinessCertificateOfDeposit,
  E.FSO.BusinessCheckingAccount,
  E.FSO.BusinessCreditCard,
  E.FSO.BusinessCreditTask,
  E.FSO.BusinessDepositServiceCase,
  E.FSO.BusinessDepositTask,
  E.FSO.BusinessLifecycleBase,
  E.FSO.BusinessLineOfCredit,
  E.FSO.BusinessLoanCreditServiceCase,
  E.FSO.BusinessLoanServiceCase,
  E.FSO.BusinessLoanTask,
  E.FSO.BusinessSavingAccount,
  E.FSO.CardDisputesServiceCase,
  E.FSO.CardDisputesTask,
  E.FSO.Claim,
  E.FSO.ClaimTask,
  E.FSO.ClientLifecycleServiceCase,
  E.FSO.ClientLifecycleTask,
  E.FSO.CommercialAutoClaimAdjusterTask,
  E.FSO.CommercialAutoClaimCase,
  E.FSO.CommercialAutoClaimTask,
  E.FSO.CommercialRealEstateLoan,
  E.FSO.CommercialVehicleLoan,
  E.FSO.ComplaintCase,
  E.FSO.ComplaintServiceTask,
  E.FSO.ContactLifecycleServiceCase,
  E.FSO.ContactLifecycleTask,
  E.FSO.CreditCardService,
  E.FSO.CreditCardTask,
  E.FSO.CreditTask,
  E.FSO.DepositAccount,
  E.FSO.EquipmentLoan,
  E.FSO.FinancialAccount,
  E.FSO.FinancialService,
  E.FSO.FinancialServicesBase,
  E.FSO.FinancialServicesCase,
  E.FSO.FinancialServicesTask,
  E.FSO.FinancialTask,
  E.FSO.IndividualLifeUnderwritingServiceTask,
  E.FSO.InquiryTask,
  E.FSO.InvestmentAccount,
  E.FSO.KycAccountTask,
  E.FSO.KycContactTask,
  E.FSO.KycCustomerTask,
  E.FSO.LineOfCredit,
  E.FSO.LoanAccount,
  E.FSO.Mortgage,
  E.FSO.PaymentBase,
  E.FSO.PaymentInquiryCase,
  E.FSO.PaymentService,
  E.FSO.PersonalCertificateOfDeposit,
  E.FSO.PersonalCheckingAccount,
  E.FSO.PersonalCreditCard,
  E.FSO.PersonalDepositServiceCase,
  E.FSO.PersonalDepositTask,
  E.FSO.PersonalLineOfCredit,
  E.FSO.PersonalLoan,
  E.FSO.PersonalLoanCreditServiceCase,
  E.FSO.PersonalLoanServiceCase,
  E.FSO.PersonalLoanTask,
  E.FSO.PersonalSavingAccount,
  E.FSO.QualityControlTask,
  E.FSO.RdcService,
  E.FSO.RdcServiceCase,
  E.FSO.RemoteAutoLoan,
  E.FSO.RemoteBusinessCertificateOfDeposit,
  E.FSO.RemoteBusinessCheckingAccount,
  E.FSO.RemoteBusinessLineOfCredit,
  E.FSO.RemoteBusinessSavingAccount,
  E.FSO.RemoteCommercialRealEstateLoan,
  E.FSO.RemoteCommercialVehicleLoan,
  E.FSO.RemoteCreditCard,
  E.FSO.RemoteEquipmentLoan,
  E.FSO.RemoteInvestmentAccount,
  E.FSO.RemoteMortgage,
  E.FSO.RemotePersonalCertificateOfDeposit,
  E.FSO.RemotePersonalCheckingAccount,
  E.FSO.RemotePersonalLineOfCredit,
  E.FSO.RemotePersonalLoan,
  E.FSO.RemotePersonalSavingAccount,
  E.FSO.RemoteSbaLoan,
  E.FSO.RemoteStudentLoan,
  E.FSO.RemoteTermLoan,
  E.FSO.SbaLoan,
  E.FSO.SiuTask,
  E.FSO.StudentLoan,
  E.FSO.TermLoan,
  E.FSO.TreasuryServiceCase,
  E.FSO.TreasuryTask,
  E.FSO.WireServiceCase,
  E.FSO.WireTransferService,
];

export type Entities = [Core, CSM, FSO];

// Shapes of entity fields: values are strings, references come in three forms.
export function accountId(c: E.CSM.Case): string | undefined {
  const account = c.account;
  if (account === undefined || typeof account === 'string') return account;
  if ('value' in account) return account.value;
  return account.display_value;
}

export const links: E.Core.Link[] = [
  { link: 'https://acme.service-now.com/api/now/table/sys_user/1', value: '1' } satisfies E.Core.LinkWithValue,
  { link: 'https://acme.service-now.com/api/now/table/sys_user/1', display_value: 'Abel Tuter' } satisfies E.Core.LinkWithDisplayValue,
];

export const consumer: E.CSM.Consumer = { first_name: 'Abel', last_name: 'Tuter', u_custom: 1 };
export const service: E.FSO.FinancialService = { sys_id: '1', sys_class_name: 'sn_bom_financial_service' };
export const attachment: string | undefined = ({} as E.Core.Attachment).file_name;

// OpenFin's own window options type, an interface, is accepted as authWindowOptions.
interface FinWindowOptions {
  name?: string;
  defaultWidth?: number;
  frame?: boolean;
}
export async function finOptions(o: FinWindowOptions): Promise<sn.ServiceNowConnection> {
  return sn.connect('https://acme.service-now.com', 'id', undefined, undefined, o);
}
