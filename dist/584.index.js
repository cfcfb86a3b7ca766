export const id = 584;
export const ids = [584];
export const modules = {

/***/ 6584:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   REAL_TIMING: () => (/* binding */ REAL_TIMING),
/* harmony export */   createClient: () => (/* binding */ createClient)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6257);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1351);
/* harmony import */ var _actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9083);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9735);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6856);
/* harmony import */ var bottleneck_light_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3251);
/* harmony import */ var bottleneck_light_js__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(bottleneck_light_js__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3116);







const SERVER_ERROR_RETRIES = 2;
// Without retry-after, GitHub asks for "at least a minute" after a secondary rate limit: an open-ended wait that
// plugin-throttling would fill in as 60 s. Counted as longer than we wait, it gives up at once instead.
const UNSTATED_SECONDARY_WAIT_S = Number.POSITIVE_INFINITY;
// plugin-throttling spaces writes 1 s apart and counts every GraphQL query as a write, so a comment update waited
// a second after the identity query. A run makes a few writes, one after the other: rate limits that GitHub
// reports are still honoured below, but nothing waits before one is reported.
const UNPACED_WRITES = () => new (bottleneck_light_js__WEBPACK_IMPORTED_MODULE_3___default().Group)({ maxConcurrent: 1, minTime: 0 });
// GitHub ends a REST request it cannot serve within 10 s; the rest of the time limit is room for the network.
const REAL_TIMING = { secondMs: 1000, requestTimeoutMs: 15_000 };
const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;
/**
 * Every request, its answer's body included, has the time limit: the body is read whole here, so an answer
 * that stalls halfway is a RequestTimeout, one that is cut short a failed request, and a successful JSON answer
 * that does not parse an IncompleteAnswer, never an empty or partial result.
 */
function wholeAnswers(fetch, limitMs) {
    return async (input, init) => {
        const timeout = AbortSignal.timeout(limitMs);
        let response;
        let body;
        try {
            response = await fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
            body = await response.arrayBuffer();
        }
        catch (error) {
            if (timeout.aborted)
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .RequestTimeout */ .VG(limitMs);
            throw error;
        }
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        // An error's status says enough; a success must carry the whole of what it says it carries.
        if (response.ok && !NULL_BODY_STATUSES.has(response.status) && JSON_TYPE.test(response.headers.get('content-type') ?? '')) {
            try {
                JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
            }
            catch {
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .IncompleteAnswer */ .Ti(init?.method ?? 'GET', url);
            }
        }
        const whole = new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
        });
        // @octokit/request reports the answer's URL, which a new Response leaves empty.
        Object.defineProperty(whole, 'url', { value: response.url });
        return whole;
    };
}
/** Statuses whose answer has no body: a Response refuses to be made with one. */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);
function limitHandler(kind) {
    return (retryAfter, options, _octokit, retryCount) => {
        const retrying = retryCount < _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .RATE_LIMIT_RETRIES */ .se && retryAfter <= _errors_js__WEBPACK_IMPORTED_MODULE_4__/* .LONGEST_RATE_LIMIT_WAIT_S */ .U;
        // Giving up is explained once, by the warning about the comment.
        if (retrying)
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`GitHub ${kind} rate limit on ${options.method} ${options.url}: retrying in ${retryAfter} s`);
        return retrying;
    };
}
/**
 * The Octokit of @actions/github (GITHUB_API_URL, proxy settings) with bounded retries: server errors a few
 * times with a short backoff, rate limits when GitHub asks to wait at most a minute, and a time limit on every
 * request so that a server that never answers cannot hold the job.
 */
function createClient(token, options = {}) {
    const timing = options.timing ?? REAL_TIMING;
    return (0,_actions_github__WEBPACK_IMPORTED_MODULE_1__/* .getOctokit */ .Q)(token, {
        ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
        request: { ..._actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_2__/* .defaults */ .NT.request, fetch: wholeAnswers(_actions_github_lib_utils__WEBPACK_IMPORTED_MODULE_2__/* .defaults */ .NT.request?.fetch ?? globalThis.fetch, timing.requestTimeoutMs) },
        // 403 and 429 are left to plugin-throttling, which honours retry-after and the rate-limit reset.
        retry: {
            retries: SERVER_ERROR_RETRIES,
            doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
            retryAfterBaseValue: timing.secondMs,
        },
        throttle: {
            onRateLimit: limitHandler('primary'),
            onSecondaryRateLimit: limitHandler('secondary'),
            fallbackSecondaryRateRetryAfter: UNSTATED_SECONDARY_WAIT_S,
            write: UNPACED_WRITES(),
            notifications: UNPACED_WRITES(),
            retryAfterBaseValue: timing.secondMs,
        },
    }, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_5__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_6__/* .throttling */ .A);
}


/***/ })

};
