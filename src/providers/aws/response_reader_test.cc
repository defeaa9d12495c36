#include "providers/aws/response_reader.h"

#include <gtest/gtest.h>

namespace cordon::aws {
namespace {

TEST(PercentDecodeTest, DecodesEscapesAndKeepsPlusSigns) {
  EXPECT_EQ(PercentDecode("%7B%22a%22%3A%20%22b%2Bc%22%7D"), R"({"a": "b+c"})");
  EXPECT_EQ(PercentDecode("a+b"), "a+b");
  EXPECT_EQ(PercentDecode("%2b%2B"), "++");
}

TEST(PercentDecodeTest, KeepsAPercentSignThatStartsNoEscape) {
  EXPECT_EQ(PercentDecode("100%"), "100%");
  EXPECT_EQ(PercentDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(PercentDecode("%25%41"), "%A");
}

TEST(DecodePolicyDocumentTest, LeavesAnUnencodedDocumentAlone) {
  EXPECT_EQ(DecodePolicyDocument(R"({"a": "100%41"})"), R"({"a": "100%41"})");
  EXPECT_EQ(DecodePolicyDocument("%7B%7D"), "{}");
}

TEST(ResponseReaderTest, ReadsByLocalNameIgnoringPrefixes) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string("<x:R xmlns:x=\"u\"><x:a><x:b>1</x:b></x:a></x:R>"));

  ResponseReader in("test:R", "");
  auto value = in.Int(doc.document_element(), "a/b");

  EXPECT_EQ(value, 1);
  EXPECT_TRUE(in.Ok());
}

TEST(ResponseReaderTest, MalformedBooleansAndIntegersAreProblems) {
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string("<R><flag>yes</flag><n>12x</n></R>"));
  ResponseReader flags("test:R", "req-1");
  ResponseReader numbers("test:R", "req-1");

  (void)flags.Bool(doc.document_element(), "flag");
  (void)numbers.Int(doc.document_element(), "n");

  ASSERT_FALSE(flags.Ok());
  ASSERT_FALSE(numbers.Ok());
  EXPECT_EQ(flags.ToError().kind, ErrorKind::kProvider);
  EXPECT_EQ(numbers.ToError().request_id, "req-1");
}

}  // namespace
}  // namespace cordon::aws
