// End to end against moto: the CloudTrail activity step. moto answers LookupEvents with HTTP 500,
// so the step is UNKNOWN, nothing is stored as activity evidence, and containment goes on.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "tests/support/cordon_fixture.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

class ActivityEvidenceTest : public CordonMotoTest {};

TEST_F(ActivityEvidenceTest, AFailedCloudTrailLookupIsUnknownAndContainmentProceeds) {
  const auto started = std::chrono::steady_clock::now();

  ProcessResult run =
      Cordon({"apply", "--case", "act-1", "--yes", "--since", "48h", "--output", "json",
              "--finding", seed_["findings"]["iam"]["path"].get<std::string>()});

  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  std::printf("apply with a failing CloudTrail lookup took %lld ms\n",
              static_cast<long long>(elapsed.count()));
  EXPECT_EQ(run.exit_code, 3) << run.out << run.err;
  json out = json::parse(run.out, nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << run.out;
  bool activity_unknown = false;
  for (const auto& step : out["steps"]) {
    if (step.value("action", "") == "cloudtrail.export_activity" ||
        step.value("id", "").find("/activity") != std::string::npos) {
      activity_unknown = step.value("outcome", "") == "unknown";
    }
  }
  EXPECT_TRUE(activity_unknown) << out.dump(2);
  for (const auto& key : Keys()) {
    EXPECT_EQ(key["Status"], "Inactive") << key.dump();
  }
  EXPECT_EQ(run.out.find(".jsonl"), std::string::npos) << "no activity file is claimed";
  EXPECT_EQ(Cordon({"verify", "--case", "act-1"}).exit_code, 0);
}

TEST_F(ActivityEvidenceTest, EvidenceIsUploadedVersionedLockedAndChecksummed) {
  Boto(
      "boto3.client('s3').create_bucket(Bucket='ir-evidence', ObjectLockEnabledForBucket=True)\n"
      "print('{}')");

  ProcessResult run =
      Cordon({"apply", "--case", "up-1", "--yes", "--target", "aws:iam-user:build-bot",
              "--evidence-bucket", "ir-evidence", "--evidence-retention-days", "30"});

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("uploaded to s3://ir-evidence/cordon/up-1/"), std::string::npos)
      << run.out;
  const std::string evidence = dir_->File("home") + "/cases/up-1/evidence/";
  // Retention is read with HeadObject: moto answers GetObjectRetention with HTTP 500.
  json state = Boto(
      "import base64, hashlib, datetime\n"
      "s3 = boto3.client('s3')\n"
      "out = {'versioning': s3.get_bucket_versioning(Bucket='ir-evidence').get('Status'),\n"
      "       'lock': s3.get_object_lock_configuration(Bucket='ir-evidence')"
      "['ObjectLockConfiguration']['Rule']['DefaultRetention'], 'objects': {}}\n"
      "for o in s3.list_objects_v2(Bucket='ir-evidence', Prefix='cordon/up-1/')['Contents']:\n"
      "    k = o['Key']\n"
      "    h = s3.head_object(Bucket='ir-evidence', Key=k, ChecksumMode='ENABLED')\n"
      "    local = open('" +
      evidence +
      "' + k.split('/')[-1], 'rb').read()\n"
      "    days = (h['ObjectLockRetainUntilDate'] - "
      "datetime.datetime.now(datetime.timezone.utc)).days\n"
      "    out['objects'][k] = {'mode': h['ObjectLockMode'], 'days': days, 'checksum': "
      "h.get('ChecksumSHA256'), 'local': base64.b64encode(hashlib.sha256(local).digest())"
      ".decode()}\n"
      "print(json.dumps(out, default=str))");
  EXPECT_EQ(state["versioning"], "Enabled");
  EXPECT_EQ(state["lock"]["Mode"], "GOVERNANCE") << state.dump();
  EXPECT_EQ(state["lock"]["Days"], 30) << state.dump();
  ASSERT_TRUE(state["objects"].contains("cordon/up-1/evidence/manifest.json")) << state.dump();
  ASSERT_TRUE(state["objects"].contains("cordon/up-1/evidence/iam-user-build-bot.json"))
      << state.dump();
  for (const auto& [key, object] : state["objects"].items()) {
    EXPECT_EQ(object["mode"], "GOVERNANCE") << key;
    EXPECT_GE(object["days"].get<int>(), 29) << key;
    EXPECT_LE(object["days"].get<int>(), 30) << key;
    EXPECT_EQ(object["checksum"], object["local"]) << key;
  }

  ProcessResult again = Cordon({"apply", "--case", "up-1", "--yes", "--target",
                                "aws:iam-user:build-bot", "--evidence-bucket", "ir-evidence"});

  EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_NE(again.out.find("already there"), std::string::npos) << again.out;
  EXPECT_EQ(Cordon({"verify", "--case", "up-1"}).exit_code, 0);
}

TEST_F(ActivityEvidenceTest, ComplianceModeOnlyWithItsFlag) {
  Boto(
      "boto3.client('s3').create_bucket(Bucket='ir-evidence-c', ObjectLockEnabledForBucket=True)"
      "\nprint('{}')");

  ProcessResult run =
      Cordon({"apply", "--case", "up-2", "--yes", "--target", "aws:iam-user:build-bot",
              "--evidence-bucket", "ir-evidence-c", "--object-lock-compliance"});

  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  json modes = Boto(
      "s3 = boto3.client('s3')\n"
      "print(json.dumps([s3.head_object(Bucket='ir-evidence-c', Key=o['Key'])"
      "['ObjectLockMode'] for o in s3.list_objects_v2(Bucket='ir-evidence-c')"
      "['Contents']]))");
  ASSERT_FALSE(modes.empty());
  for (const auto& mode : modes) {
    EXPECT_EQ(mode, "COMPLIANCE");
  }
}

TEST_F(ActivityEvidenceTest, ABadSinceIsAnInputErrorNamingTheForms) {
  ProcessResult run = Cordon(
      {"plan", "--case", "act-2", "--target", "aws:iam-user:build-bot", "--since", "yesterday"});

  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--since"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("48h"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace cordon::testing
