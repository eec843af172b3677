package io.chorus.schema;

import static io.chorus.schema.Fields.optional;
import static io.chorus.schema.Fields.required;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Per-account features. Every feature is a double so the model sees one numeric vector; a null
 * means "not observable" (no profile snapshot or no posts) and the model imputes it with a sentinel
 * next to the {@code has_profile}/{@code has_posts} indicators.
 */
public final class AccountFeatures {
  public static final String TABLE = "account_features";
  /** v3 added the profile-completeness flags has_url, geo_enabled, has_banner and has_location. */
  public static final int VERSION = 3;

  public static final String ACCOUNT_ID = "account_id";
  public static final String PLATFORM = "platform";
  public static final String HAS_PROFILE = "has_profile";
  public static final String HAS_POSTS = "has_posts";
  // profile (BotometerLite-style)
  public static final String FOLLOWERS = "followers_count";
  public static final String FRIENDS = "friends_count";
  public static final String STATUSES = "statuses_count";
  public static final String FAVOURITES = "favourites_count";
  public static final String LISTED = "listed_count";
  public static final String VERIFIED = "verified";
  public static final String DEFAULT_PROFILE = "default_profile";
  public static final String DEFAULT_PROFILE_IMAGE = "default_profile_image";
  public static final String USE_BACKGROUND_IMAGE = "profile_use_background_image";
  public static final String ACCOUNT_AGE_DAYS = "account_age_days";
  public static final String FOLLOWERS_GROWTH = "followers_growth";
  public static final String FRIENDS_GROWTH = "friends_growth";
  public static final String STATUSES_GROWTH = "statuses_growth";
  public static final String FAVOURITES_GROWTH = "favourites_growth";
  public static final String LISTED_GROWTH = "listed_growth";
  public static final String FOLLOWERS_FRIENDS_RATIO = "followers_friends_ratio";
  public static final String SCREEN_NAME_LENGTH = "screen_name_length";
  public static final String SCREEN_NAME_DIGITS = "screen_name_digits";
  public static final String SCREEN_NAME_LIKELIHOOD = "screen_name_likelihood";
  public static final String DISPLAY_NAME_LENGTH = "display_name_length";
  public static final String DISPLAY_NAME_DIGITS = "display_name_digits";
  public static final String DESCRIPTION_LENGTH = "description_length";
  public static final String HAS_URL = "has_url";
  public static final String GEO_ENABLED = "geo_enabled";
  public static final String HAS_BANNER = "has_banner";
  public static final String HAS_LOCATION = "has_location";
  // behaviour
  public static final String POSTS = "posts";
  public static final String POSTS_PER_DAY = "posts_per_day";
  public static final String REPOST_SHARE = "repost_share";
  public static final String REPLY_SHARE = "reply_share";
  public static final String QUOTE_SHARE = "quote_share";
  public static final String URLS_PER_POST = "urls_per_post";
  public static final String HASHTAGS_PER_POST = "hashtags_per_post";
  public static final String MENTIONS_PER_POST = "mentions_per_post";
  public static final String DISTINCT_SOURCES = "distinct_sources";
  public static final String HOUR_ENTROPY = "hour_entropy";
  public static final String INTERPOST_CV = "interpost_cv";
  public static final String INTERPOST_ENTROPY = "interpost_entropy";
  public static final String NIGHT_SHARE = "night_share";
  public static final String DUPLICATE_TEXT_SHARE = "duplicate_text_share";
  public static final String NEAR_DUPLICATE_TEXT_SHARE = "near_duplicate_text_share";
  public static final String FAST_REPOST_SHARE = "fast_repost_share";
  public static final String MAX_POSTS_PER_MINUTE = "max_posts_per_minute";

  private static StructField feature(String name, String meaning, String unit) {
    return optional(name, DoubleType, meaning, unit);
  }

  public static final StructField[] FEATURE_FIELDS = {
    required(HAS_PROFILE, DoubleType, "1 when a profile snapshot exists, else 0", "flag"),
    required(HAS_POSTS, DoubleType, "1 when the account has posts in the archive, else 0", "flag"),
    feature(FOLLOWERS, "Followers in the latest snapshot", "count"),
    feature(FRIENDS, "Accounts followed in the latest snapshot", "count"),
    feature(STATUSES, "Lifetime posts in the latest snapshot", "count"),
    feature(FAVOURITES, "Lifetime likes in the latest snapshot", "count"),
    feature(LISTED, "Lists containing the account", "count"),
    feature(VERIFIED, "Verified badge", "0/1"),
    feature(DEFAULT_PROFILE, "Default theme", "0/1"),
    feature(DEFAULT_PROFILE_IMAGE, "Default avatar", "0/1"),
    feature(USE_BACKGROUND_IMAGE, "Uses a background image", "0/1"),
    feature(ACCOUNT_AGE_DAYS, "Account age at the snapshot (min 1 day)", "days"),
    feature(FOLLOWERS_GROWTH, "followers_count / account_age_days", "per day"),
    feature(FRIENDS_GROWTH, "friends_count / account_age_days", "per day"),
    feature(STATUSES_GROWTH, "statuses_count / account_age_days", "per day"),
    feature(FAVOURITES_GROWTH, "favourites_count / account_age_days", "per day"),
    feature(LISTED_GROWTH, "listed_count / account_age_days", "per day"),
    feature(FOLLOWERS_FRIENDS_RATIO, "followers / max(friends, 1)", "ratio"),
    feature(SCREEN_NAME_LENGTH, "Characters in the screen name", "chars"),
    feature(SCREEN_NAME_DIGITS, "Digits in the screen name", "chars"),
    feature(SCREEN_NAME_LIKELIHOOD, "Geometric mean probability of the screen name's character bigrams under a bigram model of all screen names in the same input (add-one smoothed); low for random strings", "probability"),
    feature(DISPLAY_NAME_LENGTH, "Characters in the display name", "chars"),
    feature(DISPLAY_NAME_DIGITS, "Digits in the display name", "chars"),
    feature(DESCRIPTION_LENGTH, "Characters in the description", "chars"),
    feature(HAS_URL, "The profile links a website; null when the source has no url field (caverlee-2011, generator, Mastodon)", "0/1"),
    feature(GEO_ENABLED, "Geotagging switched on; null when the source has no such field (Twitter v2 and TwiBot-22, caverlee-2011, generator)", "0/1"),
    feature(HAS_BANNER, "The profile has a banner image; null when the source has no such field (Twitter v2 and TwiBot-22, caverlee-2011, generator)", "0/1"),
    feature(HAS_LOCATION, "The free-text location is not blank; null when the source has no location field (caverlee-2011)", "0/1"),
    feature(POSTS, "Posts in the archive", "count"),
    feature(POSTS_PER_DAY, "posts / days between first and last post (min 1 day)", "per day"),
    feature(REPOST_SHARE, "Share of posts that are reposts", "fraction"),
    feature(REPLY_SHARE, "Share of posts that are replies", "fraction"),
    feature(QUOTE_SHARE, "Share of posts that are quotes", "fraction"),
    feature(URLS_PER_POST, "Mean URLs per post", "per post"),
    feature(HASHTAGS_PER_POST, "Mean hashtags per post", "per post"),
    feature(MENTIONS_PER_POST, "Mean mentions per post", "per post"),
    feature(DISTINCT_SOURCES, "Distinct client apps used", "count"),
    feature(HOUR_ENTROPY, "Shannon entropy of the UTC hour-of-day histogram", "bits (0..log2 24)"),
    feature(INTERPOST_CV, "Coefficient of variation of gaps between consecutive posts; null under 3 posts", "ratio"),
    feature(INTERPOST_ENTROPY, "Shannon entropy of the gaps between consecutive posts, binned by floor(log2 seconds) into 20 bins; null under 3 posts", "bits"),
    feature(NIGHT_SHARE, "Share of posts in the quietest 6-hour circular window of the UTC day (the account's likely local night); null under 24 posts", "fraction"),
    feature(DUPLICATE_TEXT_SHARE, "1 - distinct texts / posts, over non-repost posts", "fraction"),
    feature(NEAR_DUPLICATE_TEXT_SHARE, "1 - distinct normalised texts / posts, over non-repost posts; normalised = lowercased letters only, URLs and mentions removed", "fraction"),
    feature(FAST_REPOST_SHARE, "Share of reposts published within 60 s of their parent (parent in archive)", "fraction"),
    feature(MAX_POSTS_PER_MINUTE, "Largest number of posts in one clock minute", "count"),
  };

  /** Feature columns in model order. */
  public static final List<String> FEATURE_COLUMNS =
      Arrays.stream(FEATURE_FIELDS).map(StructField::name).toList();

  public static final StructType SCHEMA;

  static {
    List<StructField> all = new ArrayList<>();
    all.add(required(ACCOUNT_ID, StringType, "Account id", "id"));
    all.add(required(PLATFORM, StringType, "Platform name", "name"));
    all.addAll(Arrays.asList(FEATURE_FIELDS));
    SCHEMA = new StructType(all.toArray(new StructField[0]));
  }

  public static final TableSchema TABLE_SCHEMA =
      new TableSchema(TABLE, TableSchema.Kind.OUTPUT, VERSION, "One row per account seen in posts or accounts.", SCHEMA, true);

  private AccountFeatures() {}
}
