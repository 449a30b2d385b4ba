/* The instance read API (docs/instances.md): GET /v3/{project_id}/instances, its members in
 * order, its filters, paging and order, and the statuses it shows. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "expect.h"
#include "policy_kit.h"

#define P "inst-project"

static json_t *list(const struct emu *emu, const char *query, int64_t *total)
{
    char path[256];
    snprintf(path, sizeof(path), "/v3/" P "/instances%s%s", query[0] != '\0' ? "?" : "", query);
    json_t *root = pk_get(emu, path);
    json_t *items = json_incref(json_object_get(root, "instances"));
    *total = pk_int(root, "total_count");
    CHECK(json_object_size(root) == 2); /* instances, total_count */
    json_decref(root);
    return items;
}

/* The IDs of the list, comma-separated. */
static void ids_of(json_t *items, char *out, size_t len)
{
    out[0] = '\0';
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        if (i > 0)
            strncat(out, ",", len - strlen(out) - 1);
        strncat(out, pk_str(item, "id") != NULL ? pk_str(item, "id") : "?", len - strlen(out) - 1);
    }
}

static void expect_ids(const struct emu *emu, const char *query, const char *ids, int64_t total)
{
    int64_t got_total = -1;
    json_t *items = list(emu, query, &got_total);
    char got[512];
    ids_of(items, got, sizeof(got));
    if (strcmp(got, ids) != 0 || got_total != total)
        fprintf(stderr, "    query %s\n", query);
    CHECK_STR(got, ids);
    CHECK_INT(got_total, total);
    json_decref(items);
}

static void expect_refused(const struct emu *emu, const char *query)
{
    char path[256];
    snprintf(path, sizeof(path), "/v3/" P "/instances?%s", query);
    struct http_response r;
    pk_call(emu, "GET", path, NULL, NULL, &r);
    if (!EXPECT_V3_ERROR(&r, 400, "DBS.200001"))
        fprintf(stderr, "    query %s\n", query);
    http_response_free(&r);
}

/* Every member, in order, for a MySQL primary made at the tests' Monday. */
static void members(const struct emu *emu)
{
    int64_t total = -1;
    json_t *items = list(emu, "id=alpha", &total);
    char *text = json_dumps(json_array_get(items, 0), JSON_COMPACT);
    CHECK_STR(text,
              "{\"id\":\"alpha\",\"name\":\"alpha\",\"status\":\"ACTIVE\",\"type\":\"Single\","
              "\"region\":\"eu-de\",\"datastore\":{\"type\":\"MySQL\",\"version\":\"8.0\"},"
              "\"port\":3306,\"enable_ssl\":false,\"private_ips\":[],\"public_ips\":[],\"tags\":[],"
              "\"nodes\":[{\"id\":\"alpha_node0\",\"name\":\"alpha_node0\",\"role\":\"master\","
              "\"status\":\"ACTIVE\",\"availability_zone\":\"eu-dea\"}],\"backup_strategy\":"
              "{\"start_time\":\"00:00-01:00\",\"keep_days\":7},\"flavor_ref\":null,"
              "\"volume\":null,\"vpc_id\":null,\"subnet_id\":null,\"security_group_id\":null,"
              "\"created\":\"2026-11-30T00:00:00+0000\",\"updated\":\"2026-11-30T00:00:00+0000\"}");
    free(text);
    CHECK_INT(total, 1);
    json_decref(items);

    items = list(emu, "id=pg", &total);
    json_t *pg = json_array_get(items, 0);
    CHECK_INT(pk_int(pg, "port"), 5432);
    json_decref(items);
    items = list(emu, "id=mssql", &total);
    CHECK_INT(pk_int(json_array_get(items, 0), "port"), 1433);
    json_decref(items);
    items = list(emu, "id=replica", &total);
    json_t *replica = json_array_get(items, 0);
    CHECK_STR(pk_str(replica, "type"), "Replica");
    CHECK_STR(pk_str(json_array_get(json_object_get(replica, "nodes"), 0), "role"), "readreplica");
    json_decref(items);
}

static void filters_paging_order(const struct emu *emu)
{
    /* Newest first (creation on the emulator clock), then by ID. */
    expect_ids(emu, "", "replica,pg,mssql,beta,alpha,alpha-2", 6);
    expect_ids(emu, "id=beta", "beta", 1);
    expect_ids(emu, "id=nope", "", 0);
    expect_ids(emu, "name=alpha", "alpha", 1);
    expect_ids(emu, "name=*lph", "alpha,alpha-2", 2);
    expect_ids(emu, "type=Single", "pg,mssql,beta,alpha,alpha-2", 5);
    expect_ids(emu, "type=Replica", "replica", 1);
    expect_ids(emu, "type=Ha", "", 0);
    expect_ids(emu, "datastore_type=PostgreSQL", "pg", 1);
    expect_ids(emu, "datastore_type=MySQL&type=Single", "beta,alpha,alpha-2", 3);
    expect_ids(emu, "limit=2", "replica,pg", 6);
    expect_ids(emu, "limit=2&offset=2", "mssql,beta", 6);
    expect_ids(emu, "limit=2&offset=6", "", 6);
    /* Empty means absent; unknown parameters are ignored. */
    expect_ids(emu, "id=&name=&limit=&offset=&whatever=1", "replica,pg,mssql,beta,alpha,alpha-2",
               6);
    expect_refused(emu, "name=*");
    expect_refused(emu, "type=single");
    expect_refused(emu, "type=Cluster");
    expect_refused(emu, "datastore_type=mysql");
    expect_refused(emu, "limit=0");
    expect_refused(emu, "limit=101");
    expect_refused(emu, "offset=-1");
    expect_refused(emu, "id=a&id=b");
    /* Another project has none of these. */
    struct http_response r;
    pk_call(emu, "GET", "/v3/inst-other/instances", NULL, NULL, &r);
    EXPECT_STATUS(&r, 200);
    CHECK_STR(r.body, "{\"instances\":[],\"total_count\":0}");
    http_response_free(&r);
}

static const char *status_of(const struct emu *emu, const char *id, char out[32])
{
    int64_t total;
    char query[64];
    snprintf(query, sizeof(query), "id=%s", id);
    json_t *items = list(emu, query, &total);
    snprintf(out, 32, "%s", pk_str(json_array_get(items, 0), "status"));
    json_decref(items);
    return out;
}

/* BACKING UP while a backup of it builds (manual or automated); a control-plane status other
 * than ACTIVE comes first. */
static void statuses(const struct emu *emu)
{
    char status[32];
    char *id = pk_v3_create(emu, P, "beta", "slow-one", 600);
    CHECK_STR(status_of(emu, "beta", status), "BACKING UP");
    int64_t total;
    json_t *items = list(emu, "id=beta", &total);
    CHECK_STR(
        pk_str(json_array_get(json_object_get(json_array_get(items, 0), "nodes"), 0), "status"),
        "ACTIVE");
    json_decref(items);
    CHECK_INT(pk_clock_advance(emu, 600), 0);
    CHECK_STR(status_of(emu, "beta", status), "ACTIVE");
    free(id);
    CHECK_INT(pk_instance(emu, P, "beta", "MySQL", "\"status\": \"REBOOTING\""), 200);
    CHECK_STR(status_of(emu, "beta", status), "REBOOTING");
    /* updated follows the last change; created stays. */
    items = list(emu, "id=beta", &total);
    json_t *beta = json_array_get(items, 0);
    CHECK(strcmp(pk_str(beta, "created"), pk_str(beta, "updated")) != 0);
    json_decref(items);
    /* A policy change is a change too, and keep_days 0 shows an empty window. */
    CHECK_INT(pk_v3_policy(emu, P, "pg", "{\"backup_policy\": {\"keep_days\": 0}}"), 200);
    items = list(emu, "id=pg", &total);
    char *text =
        json_dumps(json_object_get(json_array_get(items, 0), "backup_strategy"), JSON_COMPACT);
    CHECK_STR(text, "{\"start_time\":\"\",\"keep_days\":0}");
    free(text);
    json_decref(items);
}

/* A control-plane status wins over BACKING UP; a policy change is a change (updated); the
 * default page is 100 instances. */
static void precedence_updated_and_default_limit(const struct emu *emu)
{
    char status[32];
    char *id = pk_v3_create(emu, P, "alpha", "slow-two", 600);
    CHECK_STR(status_of(emu, "alpha", status), "BACKING UP");
    free(id);
    CHECK_INT(pk_instance(emu, P, "alpha", "MySQL", "\"status\": \"MAINTAINING\""), 200);
    CHECK_STR(status_of(emu, "alpha", status), "MAINTAINING"); /* a backup still builds */
    CHECK_INT(pk_clock_advance(emu, 600), 0);

    int64_t total;
    json_t *items = list(emu, "id=mssql", &total);
    char before[32];
    snprintf(before, sizeof(before), "%s", pk_str(json_array_get(items, 0), "updated"));
    json_decref(items);
    CHECK_INT(pk_clock_advance(emu, 5), 0);
    CHECK_INT(pk_v3_policy(emu, P, "mssql",
                           "{\"backup_policy\": {\"keep_days\": 2, \"start_time\": "
                           "\"03:00-04:00\", \"period\": \"1\"}}"),
              200);
    items = list(emu, "id=mssql", &total);
    CHECK(strcmp(pk_str(json_array_get(items, 0), "updated"), before) > 0);
    json_decref(items);

    for (int i = 0; i < 101; i++) {
        char iid[32];
        snprintf(iid, sizeof(iid), "many-%03d", i);
        CHECK_INT(pk_instance(emu, "inst-many", iid, "MySQL", NULL), 200);
    }
    struct http_response r;
    pk_call(emu, "GET", "/v3/inst-many/instances", NULL, NULL, &r);
    json_t *root = http_response_json(&r);
    CHECK_INT(json_array_size(json_object_get(root, "instances")), 100);
    CHECK_INT(pk_int(root, "total_count"), 101);
    json_decref(root);
    http_response_free(&r);
}

int main(void)
{
    struct emu emu;
    const char *args[] = {"--region", "eu-de", NULL};
    if (pk_start(&emu, "v3-instances", args) != 0) {
        emu_cleanup(&emu, true);
        return 1;
    }
    CHECK_INT(pk_instance(&emu, P, "alpha-2", "MySQL", NULL), 200);
    CHECK_INT(pk_instance(&emu, P, "alpha", "MySQL", NULL), 200);
    CHECK_INT(pk_clock_advance(&emu, 60), 0);
    CHECK_INT(pk_instance(&emu, P, "beta", "MySQL", NULL), 200);
    CHECK_INT(pk_clock_advance(&emu, 60), 0);
    CHECK_INT(pk_instance(&emu, P, "mssql", "SQLServer", NULL), 200);
    CHECK_INT(pk_clock_advance(&emu, 60), 0);
    CHECK_INT(pk_instance(&emu, P, "pg", "PostgreSQL", NULL), 200);
    CHECK_INT(pk_clock_advance(&emu, 60), 0);
    CHECK_INT(pk_instance(&emu, P, "replica", "MySQL", "\"role\": \"replica\""), 200);

    members(&emu);
    filters_paging_order(&emu);
    statuses(&emu);
    precedence_updated_and_default_limit(&emu);

    CHECK_INT(emu_stop(&emu), 0);
    emu_cleanup(&emu, check_failures > 0);
    return CHECK_DONE();
}
