#!/usr/bin/env python3
"""Checks that the hand-written JSON fixtures have the shape the installed botocore models give
the responses they stand for: every member is one the output shape defines, with the model's type
and, for enums, one of its values. Prints "fixtures match the models" when all do; exits 1 with the
first mismatch otherwise. Run by the unit tests (cloudtrail_client_test.cc)."""

import gzip
import json
import os
import sys

import botocore

MODELS = os.path.join(os.path.dirname(botocore.__file__), "data")
HERE = os.path.dirname(os.path.abspath(__file__))

# fixture -> (model folder, output shape)
FIXTURES = {
    "cloudtrail_lookup_events_page1.json": ("cloudtrail/2013-11-01", "LookupEventsResponse"),
    "cloudtrail_lookup_events_page2.json": ("cloudtrail/2013-11-01", "LookupEventsResponse"),
    "ssm_list_command_invocations_page1.json": ("ssm/2014-11-06", "ListCommandInvocationsResult"),
    "ssm_list_command_invocations_page2.json": ("ssm/2014-11-06", "ListCommandInvocationsResult"),
    "lambda_list_event_source_mappings_page1.json":
        ("lambda/2015-03-31", "ListEventSourceMappingsResponse"),
    "lambda_list_event_source_mappings_page2.json":
        ("lambda/2015-03-31", "ListEventSourceMappingsResponse"),
    "lambda_get_function_configuration.json": ("lambda/2015-03-31", "FunctionConfiguration"),
    "lambda_get_function_event_invoke_config.json":
        ("lambda/2015-03-31", "FunctionEventInvokeConfig"),
    "lambda_get_policy.json": ("lambda/2015-03-31", "GetPolicyResponse"),
}


def check(model, shape_name, value, path):
    shape = model["shapes"][shape_name]
    kind = shape["type"]
    if kind == "structure":
        if not isinstance(value, dict):
            raise AssertionError(f"{path} is not an object")
        for key, member in value.items():
            if key not in shape["members"]:
                raise AssertionError(f"{path}.{key} is not a member of {shape_name}")
            check(model, shape["members"][key]["shape"], member, f"{path}.{key}")
    elif kind == "list":
        if not isinstance(value, list):
            raise AssertionError(f"{path} is not a list")
        for index, item in enumerate(value):
            check(model, shape["member"]["shape"], item, f"{path}[{index}]")
    elif kind == "map":
        if not isinstance(value, dict):
            raise AssertionError(f"{path} is not a map")
        for key, item in value.items():
            check(model, shape["value"]["shape"], item, f"{path}[{key}]")
    elif kind == "string":
        if not isinstance(value, str):
            raise AssertionError(f"{path} is not a string")
        if "enum" in shape and value not in shape["enum"]:
            raise AssertionError(f"{path} = {value!r} is not one of {shape_name}'s values")
    elif kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            raise AssertionError(f"{path} is not an integer")
    elif kind == "boolean":
        if not isinstance(value, bool):
            raise AssertionError(f"{path} is not a boolean")
    elif kind == "timestamp":
        # JSON protocols send epoch seconds; Lambda's documented examples also show ISO text.
        if not isinstance(value, (int, float, str)) or isinstance(value, bool):
            raise AssertionError(f"{path} is not a timestamp")


def main():
    for fixture, (folder, shape) in FIXTURES.items():
        with gzip.open(os.path.join(MODELS, folder, "service-2.json.gz")) as model_file:
            model = json.load(model_file)
        with open(os.path.join(HERE, fixture)) as fixture_file:
            value = json.load(fixture_file)
        try:
            check(model, shape, value, fixture)
        except AssertionError as mismatch:
            print(f"mismatch: {mismatch}", flush=True)
            return 1
    print("fixtures match the models", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
