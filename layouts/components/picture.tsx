import type { ArticleImage } from "../../src/archive/archive.ts";
import { mediaPath } from "../../src/urls.ts";
import { useMessages, useSettings } from "./site.tsx";

/** An article's lead picture above its body, with its caption and credit. */
export function LeadFigure({ image }: { image: ArticleImage }) {
  const messages = useMessages();
  const settings = useSettings();
  const hasCaption = image.caption !== undefined || image.credit !== undefined;
  return (
    <figure class="lead-figure">
      <img src={mediaPath(settings, image.url)} alt={image.alt} decoding="async" />
      {hasCaption && (
        <figcaption>
          {image.caption}
          {image.caption !== undefined && image.credit !== undefined && " "}
          {image.credit !== undefined && <span class="credit">{messages.t("article.imageCredit", { credit: image.credit })}</span>}
        </figcaption>
      )}
    </figure>
  );
}

/**
 * A listing's small picture beside a headline. The headline beside it says what the article is,
 * so the picture is decorative: an empty alt keeps screen readers from reading it twice.
 */
export function Thumbnail({ image }: { image: ArticleImage }) {
  const settings = useSettings();
  return <img class="teaser-image" src={mediaPath(settings, image.url)} alt="" loading="lazy" decoding="async" />;
}
