// talks-server's HTTP API, started in-process on an ephemeral loopback port
// and spoken to over real HTTP: what each endpoint answers (search, paging,
// filters, facets, errors, talks, health, CORS, the page), and the response
// cache and CORS patterns on their own. Connections (keep-alive, hostile and
// slow clients) are in server_connection_test.cc, reloading a changed index
// in server_reload_test.cc.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "server_fixture.h"
#include "talksearch/response_cache.h"

namespace talksearch {
namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

TEST_F(ServerTest, SearchReturnsTheDocumentedShape) {
  auto res = Get("/api/search?q=%E6%8B%A1%E6%95%A3%E3%83%A2%E3%83%87%E3%83%AB&limit=2");  // 拡散モデル
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  json body = json::parse(res->body);
  EXPECT_EQ(body["query"], "拡散モデル");
  EXPECT_GE(body["total"].get<int>(), 2);
  EXPECT_TRUE(body["took_ms"].is_number());
  ASSERT_EQ(body["hits"].size(), 2u);
  for (const json& hit : body["hits"]) {
    for (const char* key : {"id", "title", "speaker", "affiliation", "date", "url", "snippet"}) {
      EXPECT_TRUE(hit[key].is_string()) << key;
    }
    EXPECT_TRUE(hit["series"].is_array());
    EXPECT_TRUE(hit["score"].is_number());
    // matched_terms: each kind of matched_via, with what matched.
    ASSERT_TRUE(hit["matched_terms"].is_array());
    std::set<std::string> kinds;
    for (const json& m : hit["matched_terms"]) {
      EXPECT_FALSE(m["form"].get<std::string>().empty());
      kinds.insert(m["kind"].get<std::string>());
    }
    EXPECT_EQ(kinds, hit["matched_via"].get<std::set<std::string>>());
    EXPECT_THAT(hit["matched_terms"], ::testing::Contains(json{{"kind", "word"}, {"form", "拡散モデル"}}));
  }
  std::set<std::string> ids = {body["hits"][0]["id"], body["hits"][1]["id"]};
  EXPECT_EQ(ids, (std::set<std::string>{"dlap-062", "dlap-067"}));
  EXPECT_THAT(body["hits"][0]["snippet"].get<std::string>(), HasSubstr("<mark>拡散モデル</mark>"));
}

TEST_F(ServerTest, ARepeatedSearchIsAnsweredFromTheCacheUnchanged) {
  const std::string path = "/api/search?q=%E3%83%9C%E3%83%AB%E3%83%84%E3%83%9E%E3%83%B3&limit=7";
  auto first = Get(path);
  auto second = Get(path);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->get_header_value("X-Cache"), "");
  EXPECT_EQ(second->get_header_value("X-Cache"), "hit");
  EXPECT_EQ(first->body, second->body);
  // Another page is another answer; errors are never kept.
  EXPECT_EQ(Get(path + "&offset=1")->get_header_value("X-Cache"), "");
  Get("/api/search?q=x&limit=0");
  auto error = Get("/api/search?q=x&limit=0");
  EXPECT_EQ(error->status, 400);
  EXPECT_EQ(error->get_header_value("X-Cache"), "");
}

// A typo is searched corrected and said so; autocorrect=false searches as
// typed and offers the correction; the two are separate cache entries.
TEST_F(ServerTest, AutocorrectSaysWhatItSearched) {
  json corrected = json::parse(Get("/api/search?q=difusion%20model&limit=3")->body);
  EXPECT_EQ(corrected["query"], "difusion model");
  EXPECT_EQ(corrected["corrected_query"], "diffusion model");
  ASSERT_EQ(corrected["corrections"].size(), 1u);
  EXPECT_EQ(corrected["corrections"][0]["from"], "difusion");
  EXPECT_EQ(corrected["corrections"][0]["to"], "diffusion");
  EXPECT_EQ(corrected["corrections"][0]["kind"], "spelling");
  EXPECT_TRUE(corrected["did_you_mean"].is_null());
  EXPECT_TRUE(corrected["relaxed_words"].is_array());
  ASSERT_FALSE(corrected["hits"].empty());
  json as_typed = json::parse(Get("/api/search?q=difusion%20model&limit=3&autocorrect=false")->body);
  EXPECT_TRUE(as_typed["corrected_query"].is_null());
  EXPECT_TRUE(as_typed["corrections"].empty());
  EXPECT_EQ(as_typed["did_you_mean"], "diffusion model");
  EXPECT_NE(as_typed["total"], corrected["total"]);
  ExpectError(Get("/api/search?q=PINN&autocorrect=maybe"), 400, "bad_parameter");
}

TEST_F(ServerTest, PagingParameters) {
  json first = json::parse(Get("/api/search?q=PINN&limit=1")->body);
  json second = json::parse(Get("/api/search?q=PINN&limit=1&offset=1")->body);
  ASSERT_EQ(first["hits"].size(), 1u);
  ASSERT_EQ(second["hits"].size(), 1u);
  EXPECT_NE(first["hits"][0]["id"], second["hits"][0]["id"]);
  EXPECT_EQ(first["total"], second["total"]);
}

TEST_F(ServerTest, ClientMistakesGet4xxJson) {
  ExpectError(Get("/api/search"), 400, "missing_parameter");
  ExpectError(Get("/api/search?q="), 400, "empty_query");
  ExpectError(Get("/api/search?q=PINN&limit=abc"), 400, "bad_parameter");
  ExpectError(Get("/api/search?q=PINN&limit=-1"), 400, "bad_parameter");
  ExpectError(Get("/api/search?q=PINN&limit=1000"), 400, "bad_parameter");
  ExpectError(Get("/api/search?q=PINN&offset=99999999999"), 400, "bad_parameter");
  ExpectError(Get("/api/search?q=PINN&sort=random"), 400, "bad_parameter");
  ExpectError(Get("/api/search?q=%FF%FE"), 400, "bad_parameter");
  ExpectError(Get("/api/search?q=%22unclosed"), 400, "bad_query");
  ExpectError(Get("/api/search?q=a&q=b"), 400, "bad_parameter");
  ExpectError(Get("/api/talks/NOT%20AN%20ID"), 400, "bad_parameter");
  ExpectError(Get("/api/talks/dlap-999"), 404, "not_found");
  ExpectError(Get("/api/nowhere"), 404, "not_found");
  httplib::Client client("127.0.0.1", port_);
  ExpectError(client.Post("/api/search?q=PINN", "", "text/plain"), 405, "method_not_allowed");
  // …and it keeps serving.
  auto ok = Get("/api/search?q=PINN");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(ServerTest, FiltersFacetsSuggestRelatedAndOpenApi) {
  auto filtered = Get("/api/search?q=&year=2021&year=2022&lang=ja");
  ASSERT_TRUE(filtered);
  ASSERT_EQ(filtered->status, 200) << filtered->body;
  json body = json::parse(filtered->body);
  ASSERT_GT(body["total"].get<int>(), 0);
  for (const json& hit : body["hits"]) {
    const std::string year = hit["date"].get<std::string>().substr(0, 4);
    EXPECT_TRUE(year == "2021" || year == "2022") << hit["id"];
    EXPECT_EQ(hit["language"], "ja");
  }
  for (const char* facet : {"year", "series", "language", "collection", "speaker"}) {
    EXPECT_TRUE(body["facets"][facet].is_array()) << facet;
  }
  ExpectError(Get("/api/search?q=PINN&year=abcd"), 400, "bad_parameter");

  auto suggest = Get("/api/suggest?q=%E3%81%8B%E3%81%8F%E3%81%95");  // かくさ
  ASSERT_TRUE(suggest);
  ASSERT_EQ(suggest->status, 200);
  json s = json::parse(suggest->body);
  ASSERT_FALSE(s["suggestions"].empty());
  EXPECT_EQ(s["suggestions"][0]["text"], "拡散モデル");
  EXPECT_TRUE(s["suggestions"][0]["kind"].is_string());
  ExpectError(Get("/api/suggest"), 400, "missing_parameter");
  ExpectError(Get("/api/suggest?q=a&limit=0"), 400, "bad_parameter");

  auto related = Get("/api/talks/dlap-062/related?limit=3");
  ASSERT_TRUE(related);
  ASSERT_EQ(related->status, 200);
  json r = json::parse(related->body);
  EXPECT_EQ(r["id"], "dlap-062");
  ASSERT_FALSE(r["hits"].empty());
  EXPECT_LE(r["hits"].size(), 3u);
  EXPECT_TRUE(r["hits"][0]["title"].is_string());
  ExpectError(Get("/api/talks/dlap-999/related"), 404, "not_found");

  auto openapi = Get("/api/openapi.yaml");
  ASSERT_TRUE(openapi);
  EXPECT_EQ(openapi->status, 200);
  EXPECT_THAT(openapi->get_header_value("Content-Type"), HasSubstr("yaml"));
  for (const char* path : {"/api/search:", "/api/suggest:", "/api/talks/{id}/related:", "/api/health:"}) {
    EXPECT_THAT(openapi->body, HasSubstr(path));
  }
}

TEST_F(ServerTest, SortAndEveryFilterOverHttp) {
  json newest = json::parse(Get("/api/search?q=%E6%B7%B1%E5%B1%A4%E5%AD%A6%E7%BF%92&sort=newest&limit=20")->body);
  json oldest = json::parse(Get("/api/search?q=%E6%B7%B1%E5%B1%A4%E5%AD%A6%E7%BF%92&sort=oldest&limit=20")->body);
  ASSERT_GT(newest["hits"].size(), 2u);
  for (size_t i = 1; i < newest["hits"].size(); ++i) {
    EXPECT_GE(newest["hits"][i - 1]["date"].get<std::string>(), newest["hits"][i]["date"].get<std::string>());
    EXPECT_LE(oldest["hits"][i - 1]["date"].get<std::string>(), oldest["hits"][i]["date"].get<std::string>());
  }
  // speaker (space-insensitive), series, collection
  json by_speaker = json::parse(Get("/api/search?q=&speaker=%E6%A9%8B%E6%9C%AC%20%E5%B9%B8%E5%A3%AB")->body);  // 橋本 幸士
  ASSERT_GE(by_speaker["total"].get<int>(), 3);
  for (const json& hit : by_speaker["hits"]) {
    EXPECT_THAT(hit["speaker"].get<std::string>(), HasSubstr("橋本"));
  }
  json mlphys = json::parse(Get("/api/search?q=&series=mlphys&limit=100")->body);
  EXPECT_EQ(mlphys["total"], 25);
  json papers = json::parse(Get("/api/search?q=Koopman&collection=papers")->body);
  ASSERT_FALSE(papers["hits"].empty());
  for (const json& hit : papers["hits"]) EXPECT_EQ(hit["collection"], "papers");
  // In papers and in seminar talks: by default, the talks only.
  ASSERT_FALSE(json::parse(Get("/api/search?q=diffusion&collection=papers")->body)["hits"].empty());
  json talks = json::parse(Get("/api/search?q=diffusion")->body);
  ASSERT_FALSE(talks["hits"].empty());
  for (const json& hit : talks["hits"]) EXPECT_EQ(hit["collection"], "talks");
}

TEST_F(ServerTest, StaticFilesCannotEscapeTheirFolder) {
  for (const char* path : {"/../CMakeLists.txt", "/%2e%2e/CMakeLists.txt", "/..%2fCMakeLists.txt",
                           "/static/../../README.md"}) {
    auto res = Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_NE(res->status, 200) << path;
    EXPECT_THAT(res->body, ::testing::Not(HasSubstr("talksearch")));
  }
  auto js = Get("/talksearch-widget.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_THAT(js->get_header_value("Content-Type"), HasSubstr("javascript"));
}

TEST_F(ServerTest, TalkAndHealth) {
  auto talk = Get("/api/talks/dlap-077");
  ASSERT_TRUE(talk);
  ASSERT_EQ(talk->status, 200);
  json t = json::parse(talk->body);
  EXPECT_EQ(t["id"], "dlap-077");
  EXPECT_EQ(t["date"], "2026-01-29");
  EXPECT_EQ(t["speakers"][0]["name"], "三角 樹弘");

  auto health = Get("/api/health");
  ASSERT_TRUE(health);
  json h = json::parse(health->body);
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["documents"].get<size_t>(), testing::Corpus().talks.size());
  EXPECT_TRUE(h["revision"].is_number());
}

TEST_F(ServerTest, CorsForTheSeminarSiteOnly) {
  auto allowed = Get("/api/health", {{"Origin", "https://dlap-seminar.github.io"}});
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->get_header_value("Access-Control-Allow-Origin"),
            "https://dlap-seminar.github.io");
  auto other = Get("/api/health", {{"Origin", "https://evil.example"}});
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->has_header("Access-Control-Allow-Origin"));

  httplib::Client client("127.0.0.1", port_);
  httplib::Request preflight;
  preflight.method = "OPTIONS";
  preflight.path = "/api/search";
  preflight.headers = {{"Origin", "https://dlap-seminar.github.io"},
                       {"Access-Control-Request-Method", "GET"}};
  auto res = client.send(preflight);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 204);
  EXPECT_THAT(res->get_header_value("Access-Control-Allow-Methods"), HasSubstr("GET"));
}

TEST_F(ServerTest, ServesTheSearchPage) {
  auto res = Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_THAT(res->get_header_value("Content-Type"), HasSubstr("text/html"));
  EXPECT_THAT(res->body, HasSubstr("data-talksearch"));
  EXPECT_THAT(res->body, HasSubstr("talksearch-widget.js"));
}

// The cache holds at most its bytes: its entry count alone let 4,096
// answers of 100 hits pin about 600 MB for as long as the server ran.
TEST(ResponseCache, HoldsAtMostItsBytesAndDropsTheLeastRecentlyUsed) {
  ResponseCache cache(100, std::chrono::seconds(60), 10 * 1024);
  const std::string kilobyte(1024 - 2, 'x');  // with a two-byte key
  for (int i = 0; i < 10; ++i) cache.Put("k" + std::to_string(i), kilobyte);
  EXPECT_EQ(cache.bytes(), 10u * 1024);
  ASSERT_TRUE(cache.Get("k0"));  // now the most recently used
  cache.Put("k;", kilobyte);
  EXPECT_EQ(cache.bytes(), 10u * 1024);
  EXPECT_TRUE(cache.Get("k0"));
  EXPECT_FALSE(cache.Get("k1"));  // the least recently used went
  EXPECT_TRUE(cache.Get("k;"));
  cache.Put("huge", std::string(20 * 1024, 'x'));  // larger than the whole cache: not kept
  EXPECT_FALSE(cache.Get("huge"));
  EXPECT_TRUE(cache.Get("k2"));
}

TEST(ResponseCache, ExpiredEntriesAreDroppedNotKept) {
  ResponseCache cache(100, std::chrono::milliseconds(50));
  for (int i = 0; i < 20; ++i) cache.Put("old" + std::to_string(i), std::string(1000, 'x'));
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  EXPECT_FALSE(cache.Get("old0"));
  cache.Put("new", "body");
  EXPECT_EQ(cache.bytes(), std::string("new").size() + std::string("body").size());
  EXPECT_EQ(*cache.Get("new"), "body");
}

TEST(Cors, OriginPatterns) {
  const std::vector<std::string> patterns = {"https://*.github.io", "http://localhost:*"};
  EXPECT_TRUE(OriginAllowed("https://akio.github.io", patterns));
  EXPECT_TRUE(OriginAllowed("http://localhost:4000", patterns));
  EXPECT_FALSE(OriginAllowed("http://akio.github.io", patterns));
  EXPECT_FALSE(OriginAllowed("https://github.io.evil.example", patterns));
  EXPECT_TRUE(OriginAllowed("https://anything", {"*"}));
}

}  // namespace
}  // namespace talksearch
