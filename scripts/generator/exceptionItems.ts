import { at } from '../../shared/core/defined';
import type { RowSeed } from './context';
import type { BuiltItems } from './items';

interface Frame {
  readonly method: string;
  readonly assembly: string;
  readonly fileName?: string;
  readonly line?: number;
}

interface Thrown {
  readonly type: string;
  readonly message: string;
  readonly frames: readonly Frame[];
}

interface Scenario {
  /** Outermost first, as the exporter lists the inner-exception chain. */
  readonly chain: readonly Thrown[];
  readonly handledAt: 'UserCode' | 'Platform' | 'Unhandled';
  readonly kind: 'server' | 'browser';
  readonly operationName: string;
}

const WEB = 'Contoso.Web, Version=1.4.0.0, Culture=neutral, PublicKeyToken=null';
const CORELIB = 'System.Private.CoreLib, Version=8.0.0.0, Culture=neutral, PublicKeyToken=7cec85d7bea7798e';
const SQL = 'Microsoft.Data.SqlClient, Version=5.0.0.0, Culture=neutral, PublicKeyToken=23ec7fc2d6eaa4a5';
const MVC = 'Microsoft.AspNetCore.Mvc.Core, Version=8.0.0.0, Culture=neutral, PublicKeyToken=adb9793829ddae60';
const src = (file: string) => `C:\\src\\Contoso.Web\\${file}`;

const SCENARIOS: readonly Scenario[] = [
  {
    handledAt: 'UserCode',
    kind: 'server',
    operationName: 'GET /api/orders/{id}',
    chain: [
      {
        type: 'System.NullReferenceException',
        message: 'Object reference not set to an instance of an object.',
        frames: [
          {
            method: 'Contoso.Web.Controllers.OrdersController.Get',
            assembly: WEB,
            fileName: src('Controllers\\OrdersController.cs'),
            line: 42,
          },
        ],
      },
    ],
  },
  {
    handledAt: 'UserCode',
    kind: 'server',
    operationName: 'POST /api/checkout',
    chain: [
      {
        type: 'Contoso.Orders.OrderProcessingException',
        message: 'Could not place order',
        frames: [
          {
            method: 'Contoso.Web.Services.CheckoutService.PlaceOrderAsync',
            assembly: WEB,
            fileName: src('Services\\CheckoutService.cs'),
            line: 118,
          },
        ],
      },
      {
        type: 'Microsoft.Data.SqlClient.SqlException',
        message:
          'Execution Timeout Expired.  The timeout period elapsed prior to completion of the operation or the server is not responding.',
        frames: [
          { method: 'Microsoft.Data.SqlClient.SqlCommand.EndExecuteNonQuery', assembly: SQL },
          {
            method: 'Contoso.Web.Data.OrderRepository.InsertAsync',
            assembly: WEB,
            fileName: src('Data\\OrderRepository.cs'),
            line: 77,
          },
        ],
      },
      { type: 'System.ComponentModel.Win32Exception', message: 'The wait operation timed out.', frames: [] },
    ],
  },
  {
    handledAt: 'Platform',
    kind: 'server',
    operationName: 'GET /api/products',
    chain: [
      {
        type: 'System.Threading.Tasks.TaskCanceledException',
        message: 'A task was canceled.',
        frames: [
          { method: 'System.Net.Http.HttpClient.HandleFailure', assembly: CORELIB },
          {
            method: 'Contoso.Web.Clients.InventoryClient.GetStockAsync',
            assembly: WEB,
            fileName: src('Clients\\InventoryClient.cs'),
            line: 31,
          },
        ],
      },
    ],
  },
  {
    handledAt: 'UserCode',
    kind: 'server',
    operationName: 'GET /produkte/größe-{id}',
    chain: [
      {
        type: 'System.FormatException',
        message: 'Die Eingabezeichenfolge hat das falsche Format. Größe „XL“',
        frames: [
          { method: 'System.Number.ThrowFormatException', assembly: CORELIB },
          {
            method: 'Contoso.Web.Controllers.ProdukteController.Größe',
            assembly: WEB,
            fileName: src('Controllers\\ProdukteController.cs'),
            line: 19,
          },
        ],
      },
    ],
  },
  {
    handledAt: 'Unhandled',
    kind: 'browser',
    operationName: 'Checkout',
    chain: [
      {
        type: 'TypeError',
        message: "Cannot read properties of undefined (reading 'price')",
        frames: [
          { method: 'renderCart', assembly: '', fileName: 'https://shop.contoso.com/static/js/app.3f2a9c.js', line: 1 },
          {
            method: 'HTMLButtonElement.onClick',
            assembly: '',
            fileName: 'https://shop.contoso.com/static/js/app.3f2a9c.js',
            line: 1,
          },
        ],
      },
    ],
  },
];

const PIPELINE = [
  'Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor+TaskOfIActionResultExecutor.Execute',
  'Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker.InvokeActionMethodAsync',
  'Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker.InvokeNextActionFilterAsync',
  'Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker.Rethrow',
  'Microsoft.AspNetCore.Mvc.Infrastructure.ResourceInvoker.InvokeFilterPipelineAsync',
  'Microsoft.AspNetCore.Mvc.Infrastructure.ResourceInvoker.InvokeAsync',
  'Microsoft.AspNetCore.Routing.EndpointMiddleware.Invoke',
  'Microsoft.AspNetCore.Authorization.AuthorizationMiddleware.Invoke',
];

const isUserCode = (frame: Frame) => frame.assembly.startsWith('Contoso.') || frame.assembly === '';

/**
 * An exception row: element 0 is the "Representative" summary, then one element per exception in
 * the inner chain with its `parsedStack`, linked by `outerId` (TIM fixtures).
 */
export function exceptionItems(row: RowSeed): BuiltItems {
  const { rng } = row;
  const scenario = rng.pick(SCENARIOS);
  const outer = at(scenario.chain, 0, 'exception chain');
  const innermost = at(scenario.chain, scenario.chain.length - 1, 'exception chain');
  const allFrames = scenario.chain.flatMap((thrown) => thrown.frames);
  const failedFrame = [...allFrames].reverse().find(isUserCode) ?? allFrames[0];
  const failedMethod = failedFrame?.method ?? '';
  const failedAssembly = failedFrame?.assembly ?? '';
  const summary = {
    assembly: failedAssembly,
    hasFullStack: true,
    exceptionType: innermost.type,
    outerExceptionType: outer.type,
    outerExceptionThrownAtMethod: outer.frames[0]?.method ?? '',
    outerExceptionThrownAtAssembly: outer.frames[0]?.assembly ?? '',
    innermostExceptionType: innermost.type,
    innermostExceptionThrownAtMethod: innermost.frames[0]?.method ?? '',
    innermostExceptionThrownAtAssembly: innermost.frames[0]?.assembly ?? '',
    failedUserCodeMethod: failedMethod,
    failedUserCodeAssembly: failedAssembly,
    exceptionGroup: `${innermost.type} at ${failedMethod}`,
    id: 'Representative',
    outerId: '',
    typeName: innermost.type,
    message: '',
    handledAt: scenario.handledAt,
    count: row.count,
    method: failedMethod,
    outerExceptionMessage: outer.message,
    innermostExceptionMessage: innermost.message,
  };
  const items: Record<string, unknown>[] = [summary];
  let outerId = '0';
  for (const thrown of scenario.chain) {
    const id = String(rng.int(10_000_000, 99_999_999));
    items.push({
      parsedStack: parsedStack(row, thrown, scenario.kind, outerId === '0'),
      assembly: '',
      hasFullStack: true,
      exceptionType: '',
      id,
      outerId,
      message: thrown.message,
      count: 0,
    });
    outerId = id;
  }
  return { items, context: { kind: scenario.kind, operationName: scenario.operationName } };
}

function parsedStack(
  row: RowSeed,
  thrown: Thrown,
  kind: Scenario['kind'],
  outermost: boolean,
): Record<string, unknown>[] {
  const frames: Frame[] = [...thrown.frames];
  // Real stacks are mostly framework frames under the user's; they make up most of a row's bytes.
  if (kind === 'server' && outermost) {
    const depth = row.rng.int(2, PIPELINE.length);
    for (let i = 0; i < depth; i++) frames.push({ method: at(PIPELINE, i, 'pipeline frames'), assembly: MVC });
  }
  return frames.map((frame, level) => ({
    method: frame.method,
    assembly: frame.assembly,
    ...(frame.fileName === undefined ? {} : { fileName: frame.fileName }),
    level,
    line: kind === 'browser' ? row.rng.int(1, 90_000) : (frame.line ?? 0),
  }));
}
