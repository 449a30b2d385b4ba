/* The refusals both APIs give (refusals.h): one table of cases, each a request and the answer it
 * gets, run through the API under test with that API's paths, bodies, error shape and codes. A
 * case for one API only says why. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "refusals.h"
#include "v3.h"

#define PROJECT   REFUSALS_PROJECT
#define MAX_BODY  REFUSALS_MAX_BODY
#define INSTANCE  "mysql-1"
#define NO_ID     "00000000-0000-0000-0000-000000000000"
#define P64       "pppppppppp_ppppppppp-pppppppppZppppppppp9ppppppppppppppppppppppp"
#define P65       "ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
#define GOOD_SIG  "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define SIGNED    "Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, "
#define SDK_DATE  "X-Sdk-Date: 20261129T080000Z"
#define ROUTE_MSG "The API does not exist or has not been published in the environment"

#define HEADERS(...) ((const char *const[]){__VA_ARGS__, NULL})
/* The headers of a good create: the tests' token, JSON, build time 0; of a good read. */
#define GOOD       HEADERS(CALL_TOKEN_HEADER, CALL_JSON_HEADER, "X-Emulator-Backup-Seconds: 0")
#define TOKEN_ONLY HEADERS(CALL_TOKEN_HEADER)
#define NO_TOKEN   HEADERS(CALL_JSON_HEADER)
#define PLAIN      "Content-Type: text/plain"

/* What differs between the two APIs for these cases. */
static const struct api_rules {
    const char *prefix;      /* before the project in every path */
    const char *upper;       /* a create path with the API's prefix in capitals: not a route */
    const char *bad_request; /* the code of a 400 (and of a 413) */
    const char *no_instance; /* the code of a 404 for an instance the project lacks */
    /* Every route of the API: what follows the project ("/backups/": a backup's id is added),
     * and a body when it takes one (a create never made: its name is looked for after). */
    struct {
        const char *method, *rest, *body;
    } routes[6];
} apis[] = {
    [CALL_V1] = {"/rds/v1/",
                 "/RDS/v1/" PROJECT "/backups",
                 "RDS.0001",
                 "RDS.0002",
                 {{"POST", "/backups",
                   "{\"backup\": {\"instance\": \"" INSTANCE "\", \"name\": \"noToken\"}}"},
                  {"GET", "/backups", NULL},
                  {"DELETE", "/backups/", NULL},
                  {"GET", "/instances/" INSTANCE "/backups/policy", NULL},
                  {"PUT", "/instances/" INSTANCE "/backups/policy",
                   "{\"policy\": {\"keepday\": 3, \"starttime\": \"01:00\"}}"}}},
    [CALL_V3] = {"/v3/",
                 "/V3/" PROJECT "/backups?instance_id=" INSTANCE,
                 "DBS.200001",
                 "DBS.200045",
                 {{"POST", "/backups",
                   "{\"instance_id\": \"" INSTANCE "\", \"name\": \"noToken\"}"},
                  {"GET", "/backups?instance_id=" INSTANCE, NULL},
                  {"DELETE", "/backups/", NULL},
                  {"GET", "/jobs?id=0123456789abcdef0123456789abcdef", NULL}}},
};

/* The answer a case gets. */
enum answer {
    CREATED,     /* the exact 200 of the API's create */
    BAD_REQUEST, /* 400 in the API's shape with its bad_request code */
    TOO_LARGE,   /* 413 in the API's shape with the same code */
    NO_INSTANCE, /* 404 in the API's shape with its no_instance code */
    NO_ROUTE,    /* 404 APIGW.0101 in the gateway's shape, with its fixed message */
    NO_AUTH,     /* 401 APIGW.0301 in the gateway's shape */
};

/* One case. A member left zero takes the usual: POST to the backups of PROJECT, no header, no
 * body, both APIs, the server with --auth presence. */
struct refusal {
    const char *what; /* said when it fails */
    bool v1_only, v3_only;
    const char *method;
    /* Where: `path` as it is; or the API's prefix in capitals (`upper`); or the API's prefix,
     * `project` and `rest` ("/backups"); or, `every_route`, each route of the API in turn with
     * its own method and body. */
    const char *path;
    bool upper;
    const char *project;
    const char *rest;
    bool every_route;
    const char *const *headers;
    bool bare_too; /* sent again with no header: the same answer (the route comes before auth) */
    /* The body: `text`; or `size` bytes of `fill`; or the API's create body for `instance`
     * (INSTANCE) and `name`, with `description` (both raw bytes: they may break UTF-8), in
     * single quotes when `quotes`, padded with spaces to `size` bytes (its last brace a comma
     * when `broken`), between `before` and `after`. */
    const char *text;
    char fill;
    const char *instance, *name, *description;
    bool quotes;
    size_t size;
    bool broken;
    const char *before, *after;
    bool chunked;
    bool auth_off; /* to the server with --auth off */
    enum answer answer;
};

static const struct refusal cases[] = {
    /* ---- project_id: 64 characters of [A-Za-z0-9_-], on every route ---- */
    {"a dot", .project = "bad.project", .every_route = true, .headers = GOOD,
     .answer = BAD_REQUEST},
    {"a space", .project = "bad%20project", .every_route = true, .headers = GOOD,
     .answer = BAD_REQUEST},
    {"a slash", .project = "bad%2Fproject", .every_route = true, .headers = GOOD,
     .answer = BAD_REQUEST},
    {"a '!'", .project = "bad%21project", .every_route = true, .headers = GOOD,
     .answer = BAD_REQUEST},
    {"a '~'", .project = "bad~project", .every_route = true, .headers = GOOD,
     .answer = BAD_REQUEST},
    {"a letter not ASCII", .project = "b%C3%A4d", .every_route = true, .headers = GOOD,
     .answer = BAD_REQUEST},
    {"a NUL", .project = "bad%00project", .every_route = true, .headers = GOOD,
     .answer = BAD_REQUEST},
    {"empty", .project = "", .every_route = true, .headers = GOOD, .answer = BAD_REQUEST},
    {"65 characters", .project = P65, .every_route = true, .headers = GOOD, .answer = BAD_REQUEST},
    /* 64 pass: the instance is looked up there (refusals_run puts long-project-db there). */
    {"64 characters", .project = P64, .headers = GOOD, .name = "projectRule",
     .answer = NO_INSTANCE},
    {"64 characters, the list", .v3_only = true, /* the v1 list reads no instance_id */
     .method = "GET", .project = P64, .rest = "/backups?instance_id=" INSTANCE,
     .headers = TOKEN_ONLY, .answer = NO_INSTANCE},
    {"64 characters, its instance", .project = P64, .headers = GOOD, .instance = "long-project-db",
     .name = "projectBoundary", .answer = CREATED},

    /* ---- versionId: v1 only, the v3 path has none ("/V3/" is an unknown route below) ---- */
    {"versionId V1", .v1_only = true, .path = "/rds/V1/" PROJECT "/backups", .headers = GOOD,
     .name = "pathRules", .answer = BAD_REQUEST},
    {"versionId v2", .v1_only = true, .path = "/rds/v2/" PROJECT "/backups", .headers = GOOD,
     .name = "pathRules", .answer = BAD_REQUEST},
    {"versionId v0", .v1_only = true, .path = "/rds/v0/" PROJECT "/backups", .headers = GOOD,
     .name = "pathRules", .answer = BAD_REQUEST},
    {"versionId v11", .v1_only = true, .path = "/rds/v11/" PROJECT "/backups", .headers = GOOD,
     .name = "pathRules", .answer = BAD_REQUEST},
    {"versionId v1.0", .v1_only = true, .path = "/rds/v1.0/" PROJECT "/backups", .headers = GOOD,
     .name = "pathRules", .answer = BAD_REQUEST},
    {"versionId 1", .v1_only = true, .path = "/rds/1/" PROJECT "/backups", .headers = GOOD,
     .name = "pathRules", .answer = BAD_REQUEST},
    {"versionId v", .v1_only = true, .path = "/rds/v/" PROJECT "/backups", .headers = GOOD,
     .name = "pathRules", .answer = BAD_REQUEST},
    {"versionId V1 on the list", .v1_only = true, .method = "GET",
     .path = "/rds/V1/" PROJECT "/backups", .headers = GOOD, .answer = BAD_REQUEST},

    /* ---- Content-Type: application/json once, no charset but UTF-8 ---- */
    {"text/plain", .headers = HEADERS(CALL_TOKEN_HEADER, PLAIN), .name = "typeRules",
     .answer = BAD_REQUEST},
    {"a form",
     .headers = HEADERS(CALL_TOKEN_HEADER, "Content-Type: application/x-www-form-urlencoded"),
     .name = "typeRules", .answer = BAD_REQUEST},
    {"jsonp", .headers = HEADERS(CALL_TOKEN_HEADER, "Content-Type: application/jsonp"),
     .name = "typeRules", .answer = BAD_REQUEST},
    {"xml", .headers = HEADERS(CALL_TOKEN_HEADER, "Content-Type: application/xml"),
     .name = "typeRules", .answer = BAD_REQUEST},
    {"JSON in Latin-1",
     .headers = HEADERS(CALL_TOKEN_HEADER, "Content-Type: application/json; charset=iso-8859-1"),
     .name = "typeRules", .answer = BAD_REQUEST},
    {"json alone", .headers = HEADERS(CALL_TOKEN_HEADER, "Content-Type: json"), .name = "typeRules",
     .answer = BAD_REQUEST},
    {"no Content-Type", .headers = TOKEN_ONLY, .name = "typeRules", .answer = BAD_REQUEST},
    {"JSON, then text", .headers = HEADERS(CALL_TOKEN_HEADER, CALL_JSON_HEADER, PLAIN),
     .name = "typeRules", .answer = BAD_REQUEST},
    {"text, then JSON", .headers = HEADERS(CALL_TOKEN_HEADER, PLAIN, CALL_JSON_HEADER),
     .name = "typeRules", .answer = BAD_REQUEST},
    {"JSON twice",
     .headers = HEADERS(CALL_TOKEN_HEADER, CALL_JSON_HEADER, "content-type: application/json"),
     .name = "typeRules", .answer = BAD_REQUEST},
    {"charset=UTF-8",
     .headers = HEADERS(CALL_TOKEN_HEADER, "Content-Type: application/json; charset=UTF-8",
                        "X-Emulator-Backup-Seconds: 0"),
     .name = "typeCharset", .answer = CREATED},
    {"the media type in capitals",
     .headers = HEADERS(CALL_TOKEN_HEADER, "Content-Type: Application/JSON; charset=utf-8",
                        "X-Emulator-Backup-Seconds: 0"),
     .name = "typeMixedCase", .answer = CREATED},

    /* ---- bodies that are not JSON, not UTF-8, or not an object ---- */
    {"empty", .headers = GOOD, .text = "", .answer = BAD_REQUEST},
    {"a brace", .headers = GOOD, .text = "{", .answer = BAD_REQUEST},
    {"words", .headers = GOOD, .text = "not json", .answer = BAD_REQUEST},
    {"no value", .headers = GOOD, .text = "{\"backup\": }", .answer = BAD_REQUEST},
    {"no value", .headers = GOOD, .text = "{\"instance_id\": }", .answer = BAD_REQUEST},
    {"text after it", .headers = GOOD, .name = "trailing", .after = " x", .answer = BAD_REQUEST},
    {"a brace after it", .headers = GOOD, .name = "trailing", .after = "}", .answer = BAD_REQUEST},
    {"single quotes", .headers = GOOD, .name = "quotes", .quotes = true, .answer = BAD_REQUEST},
    {"a stray byte", .headers = GOOD,
     .name = "bad\xff"
             "utf",
     .answer = BAD_REQUEST},
    {"an overlong '/'", .headers = GOOD, .name = "okname", .description = "\xc0\xaf",
     .answer = BAD_REQUEST},
    {"a lone continuation", .headers = GOOD, .name = "okname", .description = "\x80",
     .answer = BAD_REQUEST},
    {"a surrogate", .headers = GOOD, .name = "okname", .description = "\xed\xa0\x80",
     .answer = BAD_REQUEST},
    {"in an array", .headers = GOOD, .name = "inArray", .before = "[", .after = "]",
     .answer = BAD_REQUEST},
    {"an empty array", .headers = GOOD, .text = "[]", .answer = BAD_REQUEST},
    {"a string", .headers = GOOD, .text = "\"backup\"", .answer = BAD_REQUEST},
    {"a string", .headers = GOOD, .text = "\"instance_id\"", .answer = BAD_REQUEST},
    {"a number", .headers = GOOD, .text = "42", .answer = BAD_REQUEST},
    {"null", .headers = GOOD, .text = "null", .answer = BAD_REQUEST},
    {"true", .headers = GOOD, .text = "true", .answer = BAD_REQUEST},

    /* ---- the body limit, announced or chunked, before the JSON syntax ---- */
    {"at the limit", .headers = GOOD, .name = "atTheLimit", .size = MAX_BODY, .answer = CREATED},
    {"at the limit, chunked", .headers = GOOD, .name = "chunkedOk", .size = MAX_BODY,
     .chunked = true, .answer = CREATED},
    {"a byte over", .headers = GOOD, .name = "overTheLimit", .size = MAX_BODY + 1,
     .answer = TOO_LARGE},
    {"a byte over, chunked", .headers = GOOD, .name = "overTheLimit", .size = MAX_BODY + 1,
     .chunked = true, .answer = TOO_LARGE},
    {"64 kB", .headers = GOOD, .name = "farOver", .size = 64 * 1024, .answer = TOO_LARGE},
    {"100 kB", .headers = GOOD, .name = "farOver", .size = 100 * 1024, .answer = TOO_LARGE},
    {"100 kB, chunked", .headers = GOOD, .name = "farOver", .size = 100 * 1024, .chunked = true,
     .answer = TOO_LARGE},
    {"100 kB to a client waiting for 100 Continue: the 413 instead",
     .headers = HEADERS(CALL_TOKEN_HEADER, CALL_JSON_HEADER, "Expect: 100-continue"),
     .name = "farOver", .size = 100 * 1024, .answer = TOO_LARGE},
    {"over and not JSON", .headers = GOOD, .name = "brokenOver", .size = MAX_BODY + 1,
     .broken = true, .answer = TOO_LARGE},
    {"over and not JSON, chunked", .headers = GOOD, .name = "brokenOver", .size = MAX_BODY + 1,
     .broken = true, .chunked = true, .answer = TOO_LARGE},
    {"over and not JSON from its first byte", .headers = GOOD, .fill = '{', .size = MAX_BODY + 1,
     .answer = TOO_LARGE},

    /* ---- unknown routes and methods: with a token or none (the route comes first) ---- */
    {"PUT", .method = "PUT", .headers = GOOD, .bare_too = true, .text = "{}", .answer = NO_ROUTE},
    {"PATCH", .method = "PATCH", .headers = GOOD, .bare_too = true, .text = "{}",
     .answer = NO_ROUTE},
    {"DELETE", .method = "DELETE", .headers = GOOD, .bare_too = true, .answer = NO_ROUTE},
    {"GET one", .method = "GET", .rest = "/backups/" NO_ID, .headers = GOOD, .bare_too = true,
     .answer = NO_ROUTE},
    {"POST one", .rest = "/backups/" NO_ID, .headers = GOOD, .bare_too = true, .text = "{}",
     .answer = NO_ROUTE},
    {"DELETE deeper", .method = "DELETE", .rest = "/backups/x/y", .headers = GOOD, .bare_too = true,
     .answer = NO_ROUTE},
    {"POST deeper", .rest = "/backups/x/y", .headers = GOOD, .bare_too = true, .text = "{}",
     .answer = NO_ROUTE},
    {"backup", .rest = "/backup", .headers = GOOD, .bare_too = true, .text = "{}",
     .answer = NO_ROUTE},
    {"GET the project", .method = "GET", .rest = "", .headers = GOOD, .bare_too = true,
     .answer = NO_ROUTE},
    {"POST the project", .rest = "", .headers = GOOD, .bare_too = true, .text = "{}",
     .answer = NO_ROUTE},
    {"POST jobs", .rest = "/jobs", .headers = GOOD, .bare_too = true, .text = "{}",
     .answer = NO_ROUTE},
    {"DELETE jobs", .method = "DELETE", .rest = "/jobs", .headers = GOOD, .bare_too = true,
     .answer = NO_ROUTE},
    {"no project", .project = "", .rest = "backups", .headers = GOOD, .bare_too = true,
     .text = "{}", .answer = NO_ROUTE},
    {"GET in capitals", .method = "GET", .upper = true, .headers = GOOD, .bare_too = true,
     .answer = NO_ROUTE},
    {"POST in capitals", .upper = true, .headers = GOOD, .bare_too = true, .text = "{}",
     .answer = NO_ROUTE},
    /* Outside both APIs (the root, the control plane): sent once, by the v1 program. */
    /* The root answers GET only (the identity version document). */
    {"POST the root", .v1_only = true, .path = "/", .headers = GOOD, .bare_too = true, .text = "{}",
     .answer = NO_ROUTE},
    {"the v3 root with a slash", .v1_only = true, .method = "GET", .path = "/v3/", .headers = GOOD,
     .bare_too = true, .answer = NO_ROUTE},
    {"nothing", .v1_only = true, .method = "GET", .path = "/nothing", .headers = GOOD,
     .bare_too = true, .answer = NO_ROUTE},
    {"the control plane", .v1_only = true, .method = "GET", .path = "/_emulator", .headers = GOOD,
     .bare_too = true, .answer = NO_ROUTE},
    {"nothing of it", .v1_only = true, .method = "GET", .path = "/_emulator/nothing",
     .headers = GOOD, .bare_too = true, .answer = NO_ROUTE},
    {"POST health", .v1_only = true, .path = "/_emulator/health", .headers = GOOD, .bare_too = true,
     .text = "{}", .answer = NO_ROUTE},
    {"GET reset", .v1_only = true, .method = "GET", .path = "/_emulator/reset", .headers = GOOD,
     .bare_too = true, .answer = NO_ROUTE},
    {"DELETE reset", .v1_only = true, .method = "DELETE", .path = "/_emulator/reset",
     .headers = GOOD, .bare_too = true, .answer = NO_ROUTE},
    {"POST an instance", .v1_only = true,
     .path = "/_emulator/projects/" PROJECT "/instances/" INSTANCE, .headers = GOOD,
     .bare_too = true, .text = "{}", .answer = NO_ROUTE},
    {"PATCH an instance", .v1_only = true, .method = "PATCH",
     .path = "/_emulator/projects/" PROJECT "/instances/" INSTANCE, .headers = GOOD,
     .bare_too = true, .text = "{}", .answer = NO_ROUTE},

    /* ---- --auth presence: a token or a well-formed, dated signature ---- */
    {"no token", .every_route = true, .headers = NO_TOKEN, .answer = NO_AUTH},
    {"an empty token", .every_route = true, .headers = HEADERS("X-Auth-Token;", CALL_JSON_HEADER),
     .answer = NO_AUTH},
    {"SHA1",
     .headers = HEADERS("Authorization: SDK-HMAC-SHA1 Access=AK, SignedHeaders=host;x-sdk-date, "
                        "Signature=" GOOD_SIG,
                        SDK_DATE, CALL_JSON_HEADER),
     .name = "authRules", .answer = NO_AUTH},
    {"a short signature",
     .headers = HEADERS(SIGNED "Signature=0123456789abcdef", SDK_DATE, CALL_JSON_HEADER),
     .name = "authRules", .answer = NO_AUTH},
    {"a signature in capitals",
     .headers = HEADERS(SIGNED "Signature=0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
                               "0123456789ABCDEF",
                        SDK_DATE, CALL_JSON_HEADER),
     .name = "authRules", .answer = NO_AUTH},
    {"a signature not hex",
     .headers = HEADERS(SIGNED "Signature=0123456789abcdef0123456789abcdef0123456789abcdef"
                               "0123456789abcdeg",
                        SDK_DATE, CALL_JSON_HEADER),
     .name = "authRules", .answer = NO_AUTH},
    {"no Access",
     .headers = HEADERS("Authorization: SDK-HMAC-SHA256 SignedHeaders=host;x-sdk-date, "
                        "Signature=" GOOD_SIG,
                        SDK_DATE, CALL_JSON_HEADER),
     .name = "authRules", .answer = NO_AUTH},
    {"no SignedHeaders",
     .headers = HEADERS("Authorization: SDK-HMAC-SHA256 Access=AK, Signature=" GOOD_SIG, SDK_DATE,
                        CALL_JSON_HEADER),
     .name = "authRules", .answer = NO_AUTH},
    {"no Signature",
     .headers = HEADERS("Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date",
                        SDK_DATE, CALL_JSON_HEADER),
     .name = "authRules", .answer = NO_AUTH},
    {"Bearer", .headers = HEADERS("Authorization: Bearer abc", SDK_DATE, CALL_JSON_HEADER),
     .name = "authRules", .answer = NO_AUTH},
    {"garbage", .headers = HEADERS("Authorization: garbage", SDK_DATE, CALL_JSON_HEADER),
     .name = "authRules", .answer = NO_AUTH},
    {"no date", .headers = HEADERS(CALL_JSON_HEADER, SIGNED "Signature=" GOOD_SIG),
     .name = "authRules", .answer = NO_AUTH},
    {"an ISO date",
     .headers = HEADERS(CALL_JSON_HEADER, SIGNED "Signature=" GOOD_SIG,
                        "X-Sdk-Date: 2026-11-29T08:00:00Z"),
     .name = "authRules", .answer = NO_AUTH},
    {"a date without Z",
     .headers =
         HEADERS(CALL_JSON_HEADER, SIGNED "Signature=" GOOD_SIG, "X-Sdk-Date: 20261129T080000"),
     .name = "authRules", .answer = NO_AUTH},
    {"a date without T",
     .headers =
         HEADERS(CALL_JSON_HEADER, SIGNED "Signature=" GOOD_SIG, "X-Sdk-Date: 20261129080000Z"),
     .name = "authRules", .answer = NO_AUTH},
    {"a date in words",
     .headers = HEADERS(CALL_JSON_HEADER, SIGNED "Signature=" GOOD_SIG, "X-Sdk-Date: yesterday"),
     .name = "authRules", .answer = NO_AUTH},
    {"a well-formed signature, no token",
     .headers = HEADERS(CALL_JSON_HEADER, SIGNED "Signature=" GOOD_SIG, SDK_DATE),
     .name = "signedOk", .answer = CREATED},
    {"any token", .headers = HEADERS(CALL_JSON_HEADER, "X-Auth-Token: x"), .name = "anyToken",
     .answer = CREATED},
    /* --auth off: neither is needed; the other rules still hold. */
    {"no token, auth off", .headers = NO_TOKEN, .name = "noTokenNeeded", .auth_off = true,
     .answer = CREATED},
    {"garbage, auth off", .headers = HEADERS("Authorization: garbage", CALL_JSON_HEADER),
     .name = "badSignatureIgnored", .auth_off = true, .answer = CREATED},
    {"a name of 3 characters, auth off", .headers = NO_TOKEN, .name = "bad", .auth_off = true,
     .answer = BAD_REQUEST},

    /* ---- the order: route, auth, path, content type, body size, JSON syntax; each case breaks
     * two neighbouring rules and the first one answers ---- */
    {"the route before auth", .method = "PUT", .text = "{}", .answer = NO_ROUTE},
    {"auth before the versionId", .v1_only = true, .path = "/rds/V1/" PROJECT "/backups",
     .headers = NO_TOKEN, .text = "{}", .answer = NO_AUTH},
    {"auth before the project", .project = "bad.project", .headers = NO_TOKEN, .text = "{}",
     .answer = NO_AUTH},
    {"auth before the project of the list", .method = "GET", .project = "bad.project",
     .rest = "/backups?instance_id=" INSTANCE, .answer = NO_AUTH},
    {"auth before the content type", .headers = HEADERS(PLAIN), .text = "{}", .answer = NO_AUTH},
    {"auth before the JSON syntax", .headers = NO_TOKEN, .text = "{", .answer = NO_AUTH},
    {"auth before the body size", .headers = NO_TOKEN, .name = "orderOver", .size = MAX_BODY + 1,
     .answer = NO_AUTH},
    {"the project before the body size", .project = "bad.project", .headers = GOOD,
     .name = "orderOver", .size = MAX_BODY + 1, .answer = BAD_REQUEST},
    {"the content type before the body size", .headers = HEADERS(CALL_TOKEN_HEADER, PLAIN),
     .name = "orderOver", .size = MAX_BODY + 1, .answer = BAD_REQUEST},
    {"the content type before the body size, chunked", .headers = HEADERS(CALL_TOKEN_HEADER, PLAIN),
     .name = "orderOver", .size = MAX_BODY + 1, .chunked = true, .answer = BAD_REQUEST},
    {"the project before the instance of the list", .method = "GET", .project = "bad.project",
     .rest = "/backups?instance_id=no-such-instance", .headers = TOKEN_ONLY, .answer = BAD_REQUEST},
};

/* ---- building a case ---- */

/* The body of `c` through `api` (new: free()), or NULL for none. */
static char *case_body(const struct refusal *c, enum call_api api)
{
    if (c->text != NULL)
        return strdup(c->text);
    if (c->fill != '\0') {
        char *body = malloc(c->size + 1);
        memset(body, c->fill, c->size);
        body[c->size] = '\0';
        return body;
    }
    if (c->name == NULL)
        return NULL;
    const char *description = c->description != NULL ? c->description : "";
    const char *instance = c->instance != NULL ? c->instance : INSTANCE;
    char inner[512];
    int n = snprintf(inner, sizeof(inner), "%s%s\", \"name\": \"%s\"%s%s%s%s",
                     api == CALL_V1 ? "{\"backup\": {\"instance\": \"" : "{\"instance_id\": \"",
                     instance, c->name, c->description != NULL ? ", \"description\": \"" : "",
                     description, c->description != NULL ? "\"" : "", api == CALL_V1 ? "}}" : "}");
    for (int i = 0; c->quotes && i < n; i++)
        if (inner[i] == '"')
            inner[i] = '\'';
    size_t len = c->size > (size_t)n ? c->size : (size_t)n;
    char *padded = malloc(len + 1);
    memcpy(padded, inner, (size_t)n - 1);
    memset(padded + n - 1, ' ', len - (size_t)n);
    padded[len - 1] = c->broken ? ',' : '}';
    padded[len] = '\0';
    const char *before = c->before != NULL ? c->before : "";
    const char *after = c->after != NULL ? c->after : "";
    char *body = malloc(strlen(before) + len + strlen(after) + 1);
    sprintf(body, "%s%s%s", before, padded, after);
    free(padded);
    return body;
}

/* The status and code of `answer` through `api`, and the shape they come in. */
static enum error_shape answer_of(enum answer answer, enum call_api api, long *status,
                                  const char **code)
{
    const struct api_rules *a = &apis[api];
    static const long statuses[] = {[CREATED] = 200,     [BAD_REQUEST] = 400, [TOO_LARGE] = 413,
                                    [NO_INSTANCE] = 404, [NO_ROUTE] = 404,    [NO_AUTH] = 401};
    *status = statuses[answer];
    *code = answer == NO_ROUTE      ? "APIGW.0101"
            : answer == NO_AUTH     ? "APIGW.0301"
            : answer == NO_INSTANCE ? a->no_instance
                                    : a->bad_request;
    return answer == NO_ROUTE || answer == NO_AUTH ? ERRORS_GATEWAY : (enum error_shape)api;
}

/* Sends `spec` and checks it gets the answer of `c`; says which case and request when not. */
static void expect_case(const struct emu *emu, enum call_api api, const struct refusal *c,
                        const struct call_spec *spec)
{
    struct http_response r;
    call_send(emu, spec, &r);
    long status;
    const char *code;
    enum error_shape shape = answer_of(c->answer, api, &status, &code);
    bool ok;
    if (c->answer == CREATED) {
        ok = json_decref_ok(expect_created_at(__FILE__, __LINE__, &r, api));
    } else {
        ok = expect_error_at(__FILE__, __LINE__, &r, shape, status, code);
        if (ok && c->answer == NO_ROUTE) {
            json_t *root = http_response_json(&r);
            ok = CHECK_STR(member_string(root, "error_msg"), ROUTE_MSG);
            json_decref(root);
        }
    }
    if (!ok)
        fprintf(stderr, "    case \"%s\": %s %s%s %.200s\n", c->what, spec->method, spec->path,
                spec->chunked ? " (chunked)" : "", spec->body != NULL ? spec->body : "");
    http_response_free(&r);
}

/* Runs case `c` through `api`; `kept` is the id a route of one backup is given. */
static void run_case(const struct emu *emu, const struct emu *off, enum call_api api,
                     const struct refusal *c, const char *kept)
{
    const struct api_rules *a = &apis[api];
    char *body = case_body(c, api);
    size_t routes = 1;
    if (c->every_route)
        while (routes < sizeof(a->routes) / sizeof(a->routes[0]) && a->routes[routes].method)
            routes++;
    for (size_t i = 0; i < routes; i++) {
        char rest[256], path[512];
        const char *method = c->method != NULL ? c->method : "POST";
        const char *sent = body;
        snprintf(rest, sizeof(rest), "%s", c->rest != NULL ? c->rest : "/backups");
        if (c->every_route) {
            method = a->routes[i].method;
            sent = a->routes[i].body;
            snprintf(rest, sizeof(rest), "%s%s", a->routes[i].rest,
                     strcmp(a->routes[i].rest, "/backups/") == 0 ? kept : "");
        }
        struct call_spec spec = {
            .method = method,
            .path = c->path != NULL ? c->path
                    : c->upper      ? a->upper
                               : call_api_path(api, c->project != NULL ? c->project : PROJECT, rest,
                                               path, sizeof(path)),
            .headers = c->headers,
            .body = sent,
            .chunked = c->chunked};
        const struct emu *server = c->auth_off ? off : emu;
        expect_case(server, api, c, &spec);
        spec.headers = NULL;
        if (c->bare_too)
            expect_case(server, api, c, &spec);
    }
    free(body);
}

int refusals_start(struct emu *emu, struct emu *off, const char *label)
{
    char max_body[32], off_label[64];
    snprintf(max_body, sizeof(max_body), "%d", MAX_BODY);
    snprintf(off_label, sizeof(off_label), "%s-off", label);
    const char *args[] = {"--max-body", max_body, NULL};
    const char *off_args[] = {"--auth", "off", NULL};
    int started = v3_start(emu, label, args);
    int off_started = started == 0 ? v3_start(off, off_label, off_args) : -1;
    if (started == 0 && off_started != 0) {
        emu_stop(emu);
        emu_cleanup(emu, false);
    }
    return started == 0 && off_started == 0 ? 0 : -1;
}

void refusals_run(const struct emu *emu, const struct emu *off, enum call_api api)
{
    /* A backup for the routes of one, and the instance of the 64-character project. */
    char *body = call_create_body(api, INSTANCE, "keepMe");
    json_t *kept = create_json_at(__FILE__, __LINE__, emu, api, PROJECT, body, 0, NULL);
    free(body);
    const char *kept_id = created_member(kept, "id") != NULL ? created_member(kept, "id") : NO_ID;
    CHECK(call_put_instance(emu, P64, "long-project-db",
                            "{\"name\": \"x\", \"datastore\": {\"type\": \"MySQL\", \"version\": "
                            "\"8.0\"}}") == 0);
    size_t run = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if ((cases[i].v1_only && api != CALL_V1) || (cases[i].v3_only && api != CALL_V3))
            continue;
        run_case(emu, off, api, &cases[i], kept_id);
        run++;
    }
    printf("%zu of the %zu refusal cases through %s\n", run, sizeof(cases) / sizeof(cases[0]),
           api == CALL_V1 ? "v1" : "v3");
    /* Nothing was made or deleted by a refused request (the v3 list shows both APIs'). */
    json_t *list = V3_LIST_JSON(emu, PROJECT, "instance_id=" INSTANCE);
    CHECK(list_find_by(list, "name", "noToken") == NULL);
    CHECK(list_find(list, kept_id) != NULL);
    json_decref(list);
    json_decref(kept);
}

void refusals_stop(struct emu *emu, struct emu *off)
{
    CHECK_INT(emu_stop(emu), 0);
    CHECK_INT(emu_stop(off), 0);
    emu_cleanup(emu, check_failures > 0);
    emu_cleanup(off, check_failures > 0);
}
