"""3.5.1 Private registries with scanning and immutable tags (ECR)."""

from __future__ import annotations

from collections.abc import Iterator

from tutela.model.aws import EcrRepository
from tutela.model.values import is_unknown
from tutela.rules.api import Severity, Verdict, failed, or_passed, passed, rule, unknown
from tutela.rules.identity._aws_policy import public_statements


@rule(
    code="CTR011",
    controls=("3.5.1.a.1", "3.5.1.a.5"),
    severity=Severity.MEDIUM,
    remediation="""
        Enable `image_scanning_configuration { scan_on_push = true }` (or registry-wide
        enhanced scanning).
    """,
    snippets={
        "terraform": """
        image_scanning_configuration {
          scan_on_push = true
        }
    """,
        "cloudformation": """
                  ImageScanningConfiguration:
                    ScanOnPush: true
              """,
    },
)
def registry_scans_images_on_push(repo: EcrRepository) -> Verdict:
    """Container registries scan images on push.

    Why: ENG-POL-003 requires vulnerability assessment of images before deployment;
    scanning at push time finds known CVEs before anything runs them.
    """
    if not repo.scan_on_push:
        return failed("images are not scanned on push", at="scan_on_push")
    return passed()


@rule(
    code="CTR012",
    controls=("3.5.1.a.4",),
    severity=Severity.MEDIUM,
    remediation='Set `image_tag_mutability = "IMMUTABLE"` so a tag always names the same image.',
    snippets={
        "terraform": 'image_tag_mutability = "IMMUTABLE"',
        "cloudformation": "ImageTagMutability: IMMUTABLE",
    },
)
def registry_tags_immutable(repo: EcrRepository) -> Verdict:
    """Container registry tags are immutable.

    Why: a mutable tag can be repointed to a different image after review and signing,
    defeating deployment integrity.
    """
    if repo.tag_mutability != "IMMUTABLE":
        return failed(f"tag mutability is {repo.tag_mutability}", at="tag_mutability")
    return passed()


@rule(
    code="CTR013",
    controls=("3.5.1.a.5", "3.2.1.a.3"),
    severity=Severity.HIGH,
    remediation="""
        Name the accounts or organization that may pull (`aws:PrincipalOrgID`, account
        ARNs) in the repository policy; never `Principal: "*"` without such a condition.
    """,
    snippets={
        "terraform": """
            statement {
              actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
              principals {
                type        = "AWS"
                identifiers = ["arn:aws:iam::111122223333:root"]
              }
            }
        """,
        "cloudformation": """
            RepositoryPolicyText:
              Statement:
                - Effect: Allow
                  Principal:
                    AWS: arn:aws:iam::111122223333:root
                  Action: [ecr:BatchGetImage, ecr:GetDownloadUrlForLayer]
        """,
    },
)
def registry_policy_not_public(repo: EcrRepository) -> Iterator[Verdict]:
    """Container registry policies do not open repositories to everyone.

    Why: ENG-POL-003 requires private registries with access control; a repository
    policy allowing `*` lets any AWS account pull the images (and the secrets or code
    baked into them), or push over them when write actions are allowed.
    """
    doc = repo.policy
    if doc is None:
        yield passed("no repository policy: account access only")
        return
    if is_unknown(doc):
        yield unknown(f"repository policy not known: {doc.reason}", at="policy")
        return
    yield from or_passed(
        failed("the repository policy allows any principal", at="policy",
               subject=st.sid or f"statement[{i}]")
        for i, st in public_statements(doc)
    )
