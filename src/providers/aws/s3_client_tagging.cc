// S3Client's bucket tagging calls (see s3_client.h).
#include <pugixml.hpp>

#include "providers/aws/response_reader.h"
#include "providers/aws/s3_client.h"

namespace cordon::aws {
namespace {

struct StringWriter : pugi::xml_writer {
  std::string out;
  void write(const void* data, size_t size) override {
    out.append(static_cast<const char*>(data), size);
  }
};

std::string TaggingXml(const std::vector<Tag>& tags) {
  pugi::xml_document doc;
  pugi::xml_node root = doc.append_child("Tagging");
  root.append_attribute("xmlns") = "http://s3.amazonaws.com/doc/2006-03-01/";
  pugi::xml_node set = root.append_child("TagSet");
  for (const auto& tag : tags) {
    pugi::xml_node element = set.append_child("Tag");
    element.append_child("Key").text().set(tag.key.c_str());
    element.append_child("Value").text().set(tag.value.c_str());
  }
  StringWriter writer;
  doc.save(writer, "", pugi::format_raw | pugi::format_no_declaration);
  return writer.out;
}

}  // namespace

Result<std::vector<Tag>> S3Client::GetBucketTagging(const std::string& bucket) const {
  auto response = GetOptional("GetBucketTagging", bucket, "tagging", "NoSuchTagSet");
  if (!response) {
    return Fail(response.error());
  }
  if (!*response) {
    return std::vector<Tag>();
  }
  pugi::xml_document doc;
  const std::string& body = (*response)->body;
  ResponseReader in("s3:GetBucketTagging", (*response)->request_id);
  if (!doc.load_buffer(body.data(), body.size()) || !doc.document_element()) {
    in.Problem("the body is not XML");
    return in.Finish(std::vector<Tag>());
  }
  std::vector<Tag> tags;
  for (const pugi::xml_node tag : ListItems(doc.document_element(), "TagSet")) {
    // An empty value is a valid tag; only the key is required.
    tags.push_back({in.Required(tag, "Key", "tag"), in.Text(tag, "Value")});
  }
  return in.Finish(std::move(tags));
}

Result<MutationResult> S3Client::PutBucketTagging(const std::string& bucket,
                                                  const std::vector<Tag>& tags) const {
  if (tags.empty()) {
    return Fail(ErrorKind::kInvalidInput,
                "PutBucketTagging with no tags for bucket " + bucket + "; nothing was sent");
  }
  auto response = Send("PUT", "PutBucketTagging", bucket, "tagging", TaggingXml(tags));
  if (!response) {
    return Fail(response.error());
  }
  return MutationResult{response->request_id};
}

Result<MutationResult> S3Client::DeleteBucketTagging(const std::string& bucket) const {
  auto response = Send("DELETE", "DeleteBucketTagging", bucket, "tagging");
  if (!response) {
    return Fail(response.error());
  }
  return MutationResult{response->request_id};
}

}  // namespace cordon::aws
