"""3.5.1 Private registries with scanning and immutable tags (ECR)."""

from __future__ import annotations

from tutela.model.aws import EcrRepository
from tutela.rules.api import Severity, Verdict, failed, passed, rule


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
