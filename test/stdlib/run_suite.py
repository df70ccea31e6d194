"""Runs one standard-library test module with unittest and prints each test's outcome as JSON.

    python3 run_suite.py test.test_textwrap

Output: {"tests": {test_id: outcome}, "errors": {test_id: "ExceptionType: first line"}}, where
outcome is ok, fail, error, skip, xfail or xpass.
"""
import json
import sys
import unittest
import warnings


class Result(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.outcomes = {}
        self.details = {}

    def addSuccess(self, test):
        self.outcomes[test.id()] = "ok"

    def addFailure(self, test, err):
        self.outcomes[test.id()] = "fail"
        self.details[test.id()] = self._describe(err)

    def addError(self, test, err):
        self.outcomes[test.id()] = "error"
        self.details[test.id()] = self._describe(err)

    def addSkip(self, test, reason):
        self.outcomes[test.id()] = "skip"

    def addExpectedFailure(self, test, err):
        self.outcomes[test.id()] = "xfail"

    def addUnexpectedSuccess(self, test):
        self.outcomes[test.id()] = "xpass"

    def addSubTest(self, test, subtest, err):
        if err is not None:
            kind = "fail" if issubclass(err[0], test.failureException) else "error"
            self.outcomes[subtest.id()] = kind
            self.details[subtest.id()] = self._describe(err)

    @staticmethod
    def _describe(err):
        exc = err[1]
        return ("%s: %s" % (type(exc).__name__, str(exc).splitlines()[0] if str(exc) else ""))[:300]


def main():
    name = sys.argv[1]
    warnings.simplefilter("default")
    from test import support
    support.verbose = 0
    loader = unittest.TestLoader()
    suite = loader.loadTestsFromName(name)
    result = Result()
    suite.run(result)
    sys.stdout.flush()
    print("\n@@POET-RESULT@@" + json.dumps({"tests": result.outcomes, "errors": result.details}))


main()
