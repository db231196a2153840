// ServiceNowEntities: records of common ServiceNow tables as the Table API
// (/api/now/table/<table>) returns them, under the names @openfin/servicenow
// 1.0.1 gives them. Each interface names its table; extends follows the table
// hierarchy (incident extends task, customer_account extends core_company, …).
//
// Every field is optional, since sysparm_fields can leave any out. Values are
// strings, as the Table API sends them. A reference field is {link, value},
// {link, display_value} with sysparm_display_value=true, or the bare sys_id with
// sysparm_exclude_reference_link=true. sysparm_display_value=all, which turns
// every value into an object, is not described. Columns not listed (custom u_
// columns, for instance) can still be read, as unknown.
//
// csm_consumer, customer_account, customer_contact and sn_customerservice_case
// have every column ServiceNow's REST API reference lists for them. The other
// tables' columns, which ServiceNow's documentation does not list in one place,
// are the ones code written for @openfin/servicenow reads, by name.

export declare namespace ServiceNowEntities {
  /** Platform, ITSM and shared tables. */
  namespace Core {
    /** A reference to another record, in one of the forms the Table API sends. */
    type Link = LinkWithValue | LinkWithDisplayValue;

    /** A reference as sent by default: the record's REST URL and its sys_id. */
    interface LinkWithValue {
      link: string;
      value: string;
    }

    /** A reference with sysparm_display_value=true: the record's REST URL and display value. */
    interface LinkWithDisplayValue {
      link: string;
      display_value: string;
    }

    /** The system columns every table has. */
    interface BaseEntity {
      sys_id?: string;
      sys_created_by?: string;
      sys_created_on?: string;
      sys_updated_by?: string;
      sys_updated_on?: string;
      sys_mod_count?: string;
      sys_tags?: string;
      [column: string]: unknown;
    }

    /** A record of a table that others extend: sys_class_name names its actual table. */
    interface DescendentEntity extends BaseEntity {
      sys_class_name?: string;
    }

    /** sys_metadata */
    interface ApplicationFile extends DescendentEntity {
      sys_name?: string;
      sys_package?: string | Link;
      sys_policy?: string;
      sys_scope?: string | Link;
      sys_update_name?: string;
    }

    /** sys_attachment */
    interface Attachment extends BaseEntity {
      average_image_color?: string;
      chunk_size_bytes?: string;
      compressed?: string;
      content_type?: string;
      download_link?: string;
      encryption_context?: string;
      file_name?: string;
      hash?: string;
      image_height?: string;
      image_width?: string;
      size_bytes?: string;
      size_compressed?: string;
      state?: string;
      table_name?: string;
      table_sys_id?: string;
    }

    /** chg_model */
    interface ChangeModel extends StateTransitionModel {
      available_in_ui?: string;
      color?: string;
      default_change_model?: string;
      description?: string;
      implementation_states?: string | Link;
      record_preset?: string;
    }

    /** change_request */
    interface ChangeRequest extends Task {
      backout_plan?: string;
      cab_date?: string;
      cab_date_time?: string;
      cab_delegate?: string | Link;
      cab_recommendation?: string;
      cab_required?: string;
      category?: string;
      change_plan?: string;
      chg_model?: string | Link;
      close_code?: string;
      conflict_last_run?: string;
      conflict_status?: string;
      end_date?: string;
      implementation_plan?: string;
      justification?: string;
      on_hold?: string;
      on_hold_reason?: string;
      on_hold_task?: string;
      outside_maintenance_schedule?: string;
      phase?: string;
      phase_state?: string;
      production_system?: string;
      reason?: string;
      requested_by?: string | Link;
      requested_by_date?: string;
      review_comments?: string;
      review_date?: string;
      review_status?: string;
      risk?: string;
      risk_impact_analysis?: string;
      scope?: string;
      start_date?: string;
      std_change_producer_version?: string | Link;
      test_plan?: string;
      type?: string;
      unauthorized?: string;
    }

    /** core_company */
    interface Company extends DescendentEntity {
      apple_icon?: string;
      banner_image?: string;
      banner_image_light?: string;
      banner_text?: string;
      city?: string;
      contact?: string | Link;
      coordinates_retrieved_on?: string;
      country?: string;
      customer?: string;
      discount?: string;
      fax_phone?: string;
      fiscal_year?: string;
      lat_long_error?: string;
      latitude?: string;
      longitude?: string;
      manufacturer?: string;
      market_cap?: string;
      name?: string;
      notes?: string;
      num_employees?: string;
      parent?: string | Link;
      phone?: string;
      primary?: string;
      profits?: string;
      publicly_traded?: string;
      rank_tier?: string;
      revenue_per_year?: string;
      state?: string;
      stock_price?: string;
      stock_symbol?: string;
      street?: string;
      theme?: string | Link;
      vendor?: string;
      vendor_manager?: string;
      vendor_type?: string;
      website?: string;
      zip?: string;
    }

    /** customer_contact */
    interface Contact extends User {
      account?: string | Link;
      correlation_id?: string;
      fso_date_of_birth?: string;
      fso_equity_percentage?: string;
      fso_nationality?: string;
      hr_integration_source?: string | Link;
      transaction_log?: string;
    }

    /** sys_user_group */
    interface Group extends DescendentEntity {
      active?: string;
      description?: string;
      email?: string;
      manager?: string | Link;
      name?: string;
      parent?: string | Link;
      type?: string;
    }

    /** incident */
    interface Incident extends Task {
      business_impact?: string;
      business_stc?: string;
      calendar_stc?: string;
      caller_id?: string | Link;
      category?: string;
      cause?: string;
      caused_by?: string | Link;
      child_incidents?: string;
      close_code?: string;
      hold_reason?: string;
      incident_state?: string;
      notify?: string;
      origin_id?: string;
      origin_table?: string;
      parent_incident?: string | Link;
      problem_id?: string | Link;
      reopen_count?: string;
      reopened_by?: string | Link;
      reopened_time?: string;
      resolved_at?: string;
      resolved_by?: string | Link;
      rfc?: string | Link;
      severity?: string;
      subcategory?: string;
    }

    /** problem */
    interface Problem extends Task {
      category?: string;
      cause_notes?: string;
      confirmed_at?: string;
      confirmed_by?: string | Link;
      duplicate_of?: string | Link;
      first_reported_by_task?: string | Link;
      fix_at?: string;
      fix_by?: string | Link;
      fix_communicated_at?: string;
      fix_communicated_by?: string | Link;
      fix_notes?: string;
      known_error?: string;
      major_problem?: string;
      problem_state?: string;
      related_incidents?: string;
      reopen_count?: string;
      reopened_at?: string;
      reopened_by?: string | Link;
      resolution_code?: string;
      resolved_at?: string;
      resolved_by?: string | Link;
      review_outcome?: string;
      rfc?: string | Link;
      subcategory?: string;
      workaround?: string;
      workaround_applied?: string;
      workaround_communicated_at?: string;
      workaround_communicated_by?: string | Link;
    }

    /** problem_task */
    interface ProblemTask extends Task {
      cause_code?: string;
      cause_notes?: string;
      close_code?: string;
      fix_notes?: string;
      other_reason?: string;
      problem?: string | Link;
      problem_task_type?: string;
      reopen_count?: string;
      reopened_at?: string;
      reopened_by?: string | Link;
      started_at?: string;
      started_by?: string | Link;
      vendor?: string | Link;
      workaround?: string;
    }

    /** sn_install_base_sold_product */
    interface SoldProduct extends DescendentEntity {
      account?: string | Link;
      additional_consumers?: string;
      additional_users?: string;
      consumer?: string | Link;
      consumer_profile?: string | Link;
      contact?: string | Link;
      household?: string | Link;
      name?: string;
      number?: string;
      parent_sold_product?: string | Link;
      prd_offering?: string | Link;
      product?: string | Link;
      service_organization?: string | Link;
      state?: string;
    }

    /** sf_state_flow */
    interface StateFlow extends ApplicationFile {
      active?: string;
      automatic_condition?: string;
      automatic_roles?: string | Link;
      automatic_script?: string;
      automatic_string?: string;
      business_rule?: string | Link;
      change_client_script?: string | Link;
      client_script?: string | Link;
      comment?: string;
      end_text?: string;
      ending_state?: string | Link;
      event?: string | Link;
      event_rule?: string | Link;
      mandatory_fields?: string;
      manual_condition?: string;
      manual_roles?: string;
      manual_script?: string;
      manual_string?: string;
      name?: string;
      not_mandatory?: string;
      not_read_only?: string;
      not_visible?: string;
      number?: string;
      override?: string | Link;
      read_only_fields?: string;
      roles?: string;
      start_text?: string;
      starting_state?: string | Link;
      table?: string;
      translated_ending_state?: string;
      translated_starting_state?: string;
      ui_action?: string;
      visible_fields?: string;
      work_notes?: string;
      work_notes_rule?: string | Link;
    }

    /** sttrm_model */
    interface StateTransitionModel extends ApplicationFile {
      active?: string;
      advanced_security?: string;
      name?: string;
      read_roles?: string;
      state_field?: string;
      table_name?: string;
      write_roles?: string;
    }

    /** task */
    interface Task extends DescendentEntity {
      action_status?: string;
      active?: string;
      activity_due?: string;
      additional_assignee_list?: string;
      approval?: string;
      approval_history?: string;
      approval_set?: string;
      assigned_to?: string | Link;
      assignment_group?: string | Link;
      business_duration?: string;
      business_service?: string | Link;
      calendar_duration?: string;
      close_notes?: string;
      closed_at?: string;
      closed_by?: string | Link;
      cmdb_ci?: string | Link;
      comments?: string;
      comments_and_work_notes?: string;
      company?: string | Link;
      contact_type?: string;
      contract?: string | Link;
      correlation_display?: string;
      correlation_id?: string;
      delivery_plan?: string | Link;
      delivery_task?: string | Link;
      description?: string;
      due_date?: string;
      escalation?: string;
      expected_start?: string;
      follow_up?: string;
      group_list?: string;
      impact?: string;
      knowledge?: string;
      location?: string | Link;
      made_sla?: string;
      needs_attention?: string;
      number?: string;
      opened_at?: string;
      opened_by?: string | Link;
      order?: string;
      parent?: string | Link;
      priority?: string;
      reassignment_count?: string;
      rejection_goto?: string | Link;
      route_reason?: string;
      service_offering?: string | Link;
      short_description?: string;
      skills?: string;
      sla_due?: string;
      sn_esign_document?: string | Link;
      sn_esign_esignature_configuration?: string | Link;
      state?: string;
      sys_domain?: string | Link;
      sys_domain_path?: string;
      task_effective_number?: string;
      time_worked?: string;
      universal_request?: string | Link;
      upon_approval?: string;
      upon_reject?: string;
      urgency?: string;
      user_input?: string;
      variables?: string;
      watch_list?: string;
      wf_activity?: string | Link;
      work_end?: string;
      work_notes?: string;
      work_notes_list?: string;
      work_start?: string;
    }

    /** task_activity */
    interface TaskActivity extends DescendentEntity {
      activity_catalog?: string;
      delivery_option?: string;
      end?: string;
      from_user?: string | Link;
      location?: string | Link;
      message?: string;
      number?: string;
      reminder?: string;
      start?: string;
      state?: string;
      subject?: string;
      task?: string | Link;
      template?: string | Link;
      to_users?: string;
      type?: string;
    }

    /** sys_user */
    interface User extends DescendentEntity {
      active?: string;
      agent_status?: string;
      avatar?: string;
      building?: string | Link;
      calendar_integration?: string;
      city?: string;
      company?: string | Link;
      cost_center?: string | Link;
      country?: string;
      date_format?: string;
      default_perspective?: string | Link;
      department?: string | Link;
      edu_status?: string;
      email?: string;
      employee_number?: string;
      enable_multifactor_authn?: string;
      failed_attempts?: string;
      first_name?: string;
      gender?: string;
      geolocation_tracked?: string;
      home_phone?: string;
      internal_integration_user?: string;
      introduction?: string;
      last_login?: string;
      last_login_device?: string;
      last_login_time?: string;
      last_name?: string;
      last_position_update?: string;
      latitude?: string;
      ldap_server?: string | Link;
      location?: string | Link;
      locked_out?: string;
      longitude?: string;
      manager?: string | Link;
      middle_name?: string;
      mobile_phone?: string;
      name?: string;
      notification?: string;
      on_schedule?: string;
      password_needs_reset?: string;
      phone?: string;
      photo?: string;
      preferred_language?: string;
      roles?: string;
      schedule?: string | Link;
      source?: string;
      state?: string;
      street?: string;
      sys_domain?: string | Link;
      sys_domain_path?: string;
      time_format?: string;
      time_sheet_policy?: string | Link;
      time_zone?: string;
      title?: string;
      user_name?: string;
      user_password?: string;
      vip?: string;
      web_service_access_only?: string;
      zip?: string;
    }
  }

  /** Customer Service Management tables. */
  namespace CSM {
    /** customer_account */
    interface Account extends Core.Company {
      account_code?: string;
      account_parent?: string | Core.Link;
      account_path?: string;
      active_escalation?: string | Core.Link;
      assumed_name?: string;
      business_structure?: string;
      email?: string;
      fso_business_identifier_code?: string;
      fso_business_type?: string;
      fso_country_code?: string;
      fso_country_of_incorporation?: string;
      fso_date_of_incorporation?: string;
      fso_dealer_high_value_goods?: string;
      fso_designated_non_financial_business?: string;
      fso_doing_business_as?: string;
      fso_entity_type?: string;
      fso_foreign_financial_institution?: string;
      fso_industry?: string;
      fso_previous_names?: string;
      fso_primary_business_activity?: string;
      fso_products_sold_country?: string;
      fso_source_of_funds?: string;
      fso_state?: string;
      identification_number?: string;
      incorporated_on?: string;
      industry?: string;
      legal_entity_name?: string;
      minority_ownership_status?: string;
      number?: string;
      partner?: string;
      primary_contact?: string | Core.Link;
      registration_code?: string;
      rural_based_status?: string;
      tax_id?: string;
      trademark?: string;
      tribal_affiliation_status?: string;
      women_ownership_status?: string;
    }

    /** account_relationship */
    interface AccountRelationship extends Core.BaseEntity {
      from_company?: string | Core.Link;
      relationship_label?: string;
      relationship_type?: string | Core.Link;
      reverse_relationship?: string;
      reverse_relationship_label?: string;
      to_company?: string | Core.Link;
    }

    /** sn_customerservice_account_relationship_access */
    interface AccountRelationshipAccess extends Core.BaseEntity {
      admin?: string;
      read?: string;
      relationship_type?: string | Core.Link;
      role?: string | Core.Link;
      write?: string;
    }

    /** sn_customerservice_account_relationship_type */
    interface AccountRelationshipType extends Core.BaseEntity {
      active?: string;
      from?: string;
      relationship_type?: string;
      role_definition_left_to_right?: string;
      role_definition_right_to_left?: string;
      to?: string;
    }

    /** sn_customerservice_team_member */
    interface AccountTeamMember extends Core.BaseEntity {
      account?: string | Core.Link;
      responsibility?: string | Core.Link;
      user?: string | Core.Link;
    }

    /** cmn_location_type */
    interface AddressType extends Core.BaseEntity {
      name?: string;
      order?: string;
    }

    /** sn_customerservice_appointment */
    interface Appointment extends Core.TaskActivity {
      appointment_location?: string;
    }

    /** sn_customerservice_case */
    interface Case extends Core.Task {
      account?: string | Core.Link;
      active_account_escalation?: string | Core.Link;
      active_escalation?: string | Core.Link;
      asset?: string | Core.Link;
      assigned_on?: string;
      auto_close?: string;
      auto_created_case?: string;
      business_impact?: string;
      case?: string;
      case_action_summary?: string | Core.Link;
      case_report?: string | Core.Link;
      category?: string;
      cause?: string;
      caused_by?: string | Core.Link;
      change?: string | Core.Link;
      child_case_creation_progress?: string;
      consumer?: string | Core.Link;
      consumer_profile?: string | Core.Link;
      contact?: string | Core.Link;
      contact_local_time?: string;
      contact_time_zone?: string;
      contributor_groups?: string;
      contributor_users?: string;
      entitlement?: string | Core.Link;
      first_response_time?: string;
      follow_the_sun?: string;
      household?: string | Core.Link;
      incident?: string | Core.Link;
      initiated_as_request?: string;
      internal_contact?: string | Core.Link;
      internal_user?: string;
      major_case_state?: string;
      notes_to_comments?: string;
      notify?: string;
      partner?: string | Core.Link;
      partner_contact?: string | Core.Link;
      post_case_review?: string | Core.Link;
      proactive?: string;
      probable_cause?: string;
      problem?: string | Core.Link;
      product?: string | Core.Link;
      recipient_list?: string | Core.Link;
      related_party_consumers?: string;
      related_party_users?: string;
      requesting_service_organization?: string | Core.Link;
      resolution_code?: string;
      resolved_at?: string;
      resolved_by?: string | Core.Link;
      service?: string | Core.Link;
      service_organization?: string | Core.Link;
      sn_app_cs_social_social_profile?: string | Core.Link;
      sold_product?: string | Core.Link;
      stage?: string;
      subcategory?: string;
      support_manager?: string | Core.Link;
      sync_driver?: string;
    }

    /** sn_customerservice_case_report */
    interface CaseReport extends Core.BaseEntity {
      agent_reassignment_count?: string;
      case?: string | Core.Link;
      customer_satisfaction_score?: string;
      is_fcr?: string;
      is_skipped_by_prediction?: string;
      number?: string;
      reopen_count?: string;
      time_to_resolve?: string;
    }

    /** csm_consumer */
    interface Consumer extends Core.BaseEntity {
      active?: string;
      business_phone?: string;
      city?: string;
      country?: string;
      date_format?: string;
      email?: string;
      fax?: string;
      first_name?: string;
      fso_country_code?: string;
      fso_date_of_birth?: string;
      fso_income_source?: string;
      fso_market_segment?: string;
      fso_nationality?: string;
      fso_risk_tolerance?: string;
      fso_suitability?: string;
      gender?: string;
      home_phone?: string;
      household?: string | Core.Link;
      last_name?: string;
      middle_name?: string;
      mobile_phone?: string;
      name?: string;
      nationality?: string;
      notes?: string;
      notification?: string;
      number?: string;
      photo?: string;
      preferred_language?: string;
      prefix?: string;
      primary?: string;
      state?: string;
      street?: string;
      suffix?: string;
      sys_domain?: string | Core.Link;
      time_format?: string;
      time_zone?: string;
      title?: string;
      user?: string | Core.Link;
      zip?: string;
    }

    /** csm_consumer_user */
    interface ConsumerUser extends Core.User {}

    /** customer_contact */
    interface Contact extends Core.User {
      account?: string | Core.Link;
      fso_date_of_birth?: string;
      fso_equity_percentage?: string;
      fso_nationality?: string;
    }

    /** sn_customerservice_contact_relationship */
    interface ContactRelationship extends Core.BaseEntity {
      company?: string | Core.Link;
      contact?: string | Core.Link;
      responsibility?: string | Core.Link;
    }

    /** sn_customerservice_customer_interaction */
    interface CustomerInteraction extends Core.BaseEntity {
      account?: string | Core.Link;
      category?: string;
      channel?: string;
      consumer?: string | Core.Link;
      contact?: string | Core.Link;
      email?: string;
      first_name?: string;
      last_name?: string;
      middle_name?: string;
      name?: string;
      product?: string | Core.Link;
      short_description?: string;
    }

    /** sn_customerservice_sf_case */
    interface CustomerServiceCaseFlow extends Core.StateFlow {}

    /** service_entitlement */
    interface Entitlement extends Core.BaseEntity {
      account?: string | Core.Link;
      active?: string;
      asset?: string | Core.Link;
      business_hour?: string | Core.Link;
      channel?: string;
      consumer?: string | Core.Link;
      contract?: string | Core.Link;
      end_date?: string;
      entitlement_name?: string;
      entitlement_process?: string | Core.Link;
      household?: string | Core.Link;
      install_base_item?: string | Core.Link;
      per_unit?: string;
      product?: string | Core.Link;
      remaining_units?: string;
      sold_product?: string | Core.Link;
      start_date?: string;
      sys_domain?: string;
      total_units?: string;
      unit?: string;
    }

    /** sn_customerservice_escalation */
    interface Escalation extends Core.Task {
      add_account_team_members?: string;
      approved_by?: string | Core.Link;
      de_escalated_by?: string | Core.Link;
      de_escalation_justification?: string;
      declined_by?: string | Core.Link;
      escalation_justification?: string;
      escalation_manager?: string | Core.Link;
      escalation_severity?: string | Core.Link;
      reason?: string;
      request_source?: string;
      requested_by?: string | Core.Link;
      source_record?: string;
      source_table?: string;
      trend?: string;
      type?: string | Core.Link;
    }

    /** sn_customerservice_escalation */
    interface EscalationSeverity extends Core.ApplicationFile {
      name?: string;
      style?: string;
      sys_domain?: string;
    }

    /** sn_customerservice_escalation_template */
    interface EscalationTemplate extends Core.ApplicationFile {
      add_manager?: string;
      approval_group?: string | Core.Link;
      esc_approval_workflow?: string | Core.Link;
      name?: string;
      skip_approval?: string;
      sys_domain?: string;
      type?: string;
      use_default_approval?: string;
      watch_list?: string;
    }

    /** csm_household */
    interface Household extends Core.BaseEntity {
      city?: string;
      country?: string;
      head?: string | Core.Link;
      household_name?: string;
      notes?: string;
      number?: string;
      state?: string;
      street?: string;
      sys_domain?: string;
      zip?: string;
    }

    /** csm_household_member */
    interface HouseholdMember extends Core.DescendentEntity {
      consumer?: string | Core.Link;
      end_date?: string;
      household?: string | Core.Link;
      number?: string;
      start_date?: string;
    }

    /** csm_order_case */
    interface OrderCase extends Case {
      order_case?: string | Core.Link;
      order_line_item?: string | Core.Link;
    }

    /** sn_customerservice_registration */
    interface RegistrationRequest extends Core.BaseEntity {
      account?: string | Core.Link;
      email?: string;
      first_name?: string;
      last_name?: string;
      name?: string;
      registration_code?: string;
      state?: string;
      user?: string | Core.Link;
    }

    /** sn_customerservice_related_party */
    interface RelatedParty extends Core.BaseEntity {
      account?: string | Core.Link;
      case_record?: string | Core.Link;
      consumer?: string | Core.Link;
      party_config?: string | Core.Link;
      party_name?: string;
      responsibility?: string | Core.Link;
      user?: string | Core.Link;
    }

    /** sn_customerservice_related_party_configuration */
    interface RelatedPartyConfiguration extends Core.BaseEntity {
      applies_to?: string;
      default_responsibility?: string | Core.Link;
      entity_type?: string;
      fso_category?: string;
      name?: string;
      reference_condition?: string;
    }

    /** sn_customerservice_responsibility_def */
    interface ResponsibilityDefinition extends Core.ApplicationFile {
      name?: string;
      type?: string;
      unique?: string;
    }

    /** sn_customerservice_task */
    interface Task extends Core.Task {
      account?: string | Core.Link;
      associated_record?: string;
      associated_table?: string;
      consumer?: string | Core.Link;
      contact?: string | Core.Link;
      parent_case?: string | Core.Link;
      service?: string | Core.Link;
      visible_to_customer?: string;
    }
  }

  /** Financial Services Operations tables. */
  namespace FSO {
    /** sn_bom_clo_b2b_account_service */
    interface AccountLifecycleServiceCase extends BusinessLifecycleBase {
      account_name?: string;
      activity_status?: string;
      address_change?: string;
      annual_revenue?: string;
      business_address?: string;
      business_identifier_code?: string;
      business_type?: string;
      change_country_of_incorporation?: string;
      compliant_status?: string;
      country_of_incorporation?: string;
      date_of_incorporation?: string;
      dealer_high_value_goods?: string;
      designated_non_financial_business?: string;
      doing_business_as?: string;
      entity_type?: string;
      foreign_financial_institution?: string;
      industry?: string;
      nature_of_business?: string;
      previous_names?: string;
      primary_business_activity?: string;
      products_sold_country?: string;
      reason?: string;
      relationship_manager?: string | Core.Link;
      source_of_funds?: string;
      submission_comment?: string;
      website?: string;
    }

    /** sn_bom_clo_b2b_account_task */
    interface AccountLifecycleTask extends FinancialTask {}

    /** sn_bom_auto_loan */
    interface AutoLoan extends LoanAccount {}

    /** sn_bom_b2b_certificate_of_deposit */
    interface BusinessCertificateOfDeposit extends DepositAccount {
      deposit_amount?: string;
      deposit_amount_to_be_credited_to?: string | Core.Link;
      interest_payout_frequency?: string;
      maturity_amount?: string;
      maturity_instruction?: string;
      mode_of_operation?: string;
      penalty_amount?: string;
    }

    /** sn_bom_b2b_checking_account */
    interface BusinessCheckingAccount extends DepositAccount {
      applicable_interest_rate_apy?: string;
      check_facility?: string;
      debit_card?: string;
      list_of_countries?: string;
      online_banking?: string;
      overseas_transactions?: string;
      purpose?: string;
    }

    /** sn_bom_business_credit_card */
    interface BusinessCreditCard extends FinancialAccount {
      accrued_interest?: string;
      apr_card?: string;
      apr_cash?: string;
      cash_advance_limit?: string;
      credit_facility_id?: string;
      document_id?: string;
      grace_period?: string;
      is_lending_insured?: string;
      max_credit_limit?: string;
      requested_credit_limit?: string;
      risk_rating?: string;
    }

    /** sn_bom_credit_asmt_b2b_task */
    interface BusinessCreditTask extends FinancialTask {
      credit_approval?: string;
    }

    /** sn_bom_deposit_b2b_service */
    interface BusinessDepositServiceCase extends FinancialServicesBase {
      account_number?: string;
      activity_status?: string;
      additional_remarks?: string;
      amount?: string;
      applicable_interest_rate?: string;
      balance_credited?: string;
      beneficiary_account_number?: string;
      beneficiary_name?: string;
      beneficiary_routing_number?: string;
      check_number?: string;
      checkbook_facility?: string;
      checks_destroyed?: string;
      corrective_action?: string;
      corrective_remarks?: string;
      credit_account?: string | Core.Link;
      debit_acct?: string | Core.Link;
      debit_card?: string;
      debit_card_destroyed?: string;
      debit_gl_account?: string;
      expected_account_purpose?: string;
      expected_account_usage?: string;
      expected_transaction_countries?: string;
      fee_treatment?: string;
      frequency?: string;
      fund_transfer_type?: string;
      initial_deposit_amount?: string;
      interest_end_date?: string;
      interest_margin?: string;
      interest_rate?: string;
      interest_start_date?: string;
      margin?: string;
      net_banking?: string;
      occurrences?: string;
      payee_address?: string;
      payee_name?: string;
      payment_mode?: string;
      purpose?: string;
      reason?: string;
      release_balance_mode?: string;
      remaining_balance?: string;
      routing_number?: string;
      standing_order?: string | Core.Link;
      standing_orders?: string | Core.Link;
      start_date?: string;
      statement_frequency?: string;
      statement_mode?: string;
      submit_comment?: string;
      unpaid_fees?: string;
    }

    /** sn_bom_deposit_b2b_task */
    interface BusinessDepositTask extends FinancialTask {
      reject_reason?: string;
    }

    /** sn_bom_clo_b2b_base */
    interface BusinessLifecycleBase extends FinancialServicesBase {
      change_country?: string;
      change_state_province?: string;
      city?: string;
      country_code?: string;
      state_province?: string;
      street?: string;
      zip?: string;
    }

    /** sn_bom_b2b_line_of_credit */
    interface BusinessLineOfCredit extends LineOfCredit {}

    /** sn_bom_credit_asmt_loan_b2b_service */
    interface BusinessLoanCreditServiceCase extends FinancialServicesBase {
      acceptance_date?: string;
      acceptance_remarks?: string;
      account_number?: string;
      add_modify_collaterals?: string;
      add_modify_conditions_precedent?: string;
      add_modify_conditions_preliminary?: string;
      add_modify_conditions_subsequent?: string;
      add_modify_covenants?: string;
      add_modify_guarantors?: string;
      asset_classification?: string;
      check_number?: string;
      compliance_date?: string;
      covenant?: string | Core.Link;
      covenant_compliance_remarks?: string;
      covenant_compliance_status?: string;
      covenant_due_date?: string;
      covenant_extension_due_date?: string;
      covenant_instance_waived?: string;
      covenant_waiver_end_date?: string;
      covenant_waiver_start_date?: string;
      debit_account?: string | Core.Link;
      debit_gl_account?: string;
      extend_loan_maturity_date?: string;
      fee_amount?: string;
      fee_treatment?: string;
      interest_outstanding?: string;
      interest_rate?: string;
      new_accrued_interest?: string;
      new_collateral_details?: string;
      new_condition_precedent_details?: string;
      new_condition_preliminary_details?: string;
      new_condition_subsequent_details?: string;
      new_covenant_details?: string;
      new_guarantor_details?: string;
      new_interest_rate?: string;
      new_interest_rate_end_date?: string;
      new_interest_rate_start_date?: string;
      new_loan_maturity_date?: string;
      new_principal_amount?: string;
      other_charges?: string;
      others?: string;
      outstanding_fee?: string;
      payment_mode?: string;
      principal_outstanding?: string;
      qualification_remarks?: string;
      qualified?: string;
      reason?: string;
      reason_remarks?: string;
      reduce_accrured_interest?: string;
      reduce_interest_rate?: string;
      remark_for_others?: string;
      restructured_terms_accepted?: string;
      revise_principal_amount?: string;
      routing_number?: string;
      total_outstanding_amount?: string;
    }

    /** sn_bom_loan_b2b_service */
    interface BusinessLoanServiceCase extends FinancialServicesBase {
      account_number?: string;
      activity_state?: string;
      amount_paid?: string;
      bankruptcy_date?: string;
      check_number?: string;
      corrective_action?: string;
      credit_service?: string | Core.Link;
      debit_account?: string | Core.Link;
      debit_general_ledger_account?: string;
      deferment_option?: string;
      deferment_period?: string;
      deferment_reason?: string;
      drawdown_amount?: string;
      effective_date?: string;
      end_date?: string;
      fee_amount?: string;
      fee_treatment?: string;
      fee_write_off_amount?: string;
      funds_source?: string;
      interest_outstanding?: string;
      interest_repayment?: string;
      interest_write_off_amount?: string;
      judgement_date?: string;
      last_repayment_amount?: string;
      last_repayment_date?: string;
      loan_amount?: string;
      loan_forgiveness_reason?: string;
      loan_transaction?: string | Core.Link;
      mode_of_disbursement?: string;
      mode_of_payment?: string;
      new_interest_rate?: string;
      new_maturity_date?: string;
      new_outstanding_principal?: string;
      other_charges?: string;
      other_charges_write_off_amount?: string;
      outstanding_fee?: string;
      payee_address?: string;
      payee_name?: string;
      payment_details?: string | Core.Link;
      payment_status?: string;
      prepayment_amount?: string;
      principal_outstanding?: string;
      principal_repayment?: string;
      principal_write_off_amount?: string;
      remainder_loan_treatment?: string;
      remarks?: string;
      remedial_service?: string | Core.Link;
      repayment_amount?: string;
      repayment_amount_due?: string;
      repayment_due_date?: string;
      report_to_credit_bureau?: string;
      routing_number?: string;
      start_date?: string;
      submission_comment?: string;
      total_outstanding_amount?: string;
      total_repayment?: string;
      total_write_off_amount?: string;
      write_off_option?: string;
    }

    /** sn_bom_loan_b2b_task */
    interface BusinessLoanTask extends FinancialTask {}

    /** sn_bom_b2b_saving_account */
    interface BusinessSavingAccount extends DepositAccount {
      applicable_interest_rate_apy?: string;
      check_facility?: string;
      debit_card?: string;
      list_of_countries?: string;
      online_banking?: string;
      overseas_transactions?: string;
      purpose?: string;
    }

    /** sn_bom_credit_card_disputes_service */
    interface CardDisputesServiceCase extends FinancialServicesBase {
      activity_status?: string;
      card_provider?: string;
      dispute_amount?: string;
      dispute_reason?: string;
      financial_transaction?: string | Core.Link;
      fraud_alert?: string;
      submission_comment?: string;
      total_refund?: string;
    }

    /** sn_bom_credit_card_disputes_task */
    interface CardDisputesTask extends FinancialTask {
      chargeback_details?: string | Core.Link;
      deny_dispute?: string;
      dispute_amount?: string;
      disputed_transaction_amount?: string;
      fee_amount?: string;
      financial_transaction?: string | Core.Link;
      interest_amount?: string;
      merchant_action?: string;
      potential_fraud?: string;
      pursue_chargeback?: string;
      refund_merchant?: string;
      remarks?: string;
      represented_by_merchant?: string;
      total_refund?: string;
      write_off_funds?: string;
    }

    /** sn_bom_payment_claim */
    interface Claim extends PaymentBase {
      actual_treatment?: string;
      debit_account?: string | Core.Link;
      debit_contact?: string | Core.Link;
      debit_customer?: string | Core.Link;
      debit_financial_account?: string | Core.Link;
      error_category?: string;
      error_subcategory?: string;
      error_type?: string;
      external_claim_id?: string;
      international_payment?: string;
      outcome?: string;
      outcome_notes?: string;
      payment_date?: string;
      payment_inquiry?: string | Core.Link;
      payment_processor?: string;
      payment_service?: string | Core.Link;
      recipient_bank?: string | Core.Link;
      recurring_payment?: string;
      refund_amount?: string;
      refund_type?: string;
      remitter_bank?: string | Core.Link;
      requested_treatment?: string;
      total_amount?: string;
      tracking_id?: string;
      transaction_id?: string;
    }

    /** sn_bom_payment_claim_task */
    interface ClaimTask extends FinancialTask {
      sender_transactions?: string | Core.Link;
    }

    /** sn_bom_clo_b2c_service */
    interface ClientLifecycleServiceCase extends FinancialServicesBase {
      account_number?: string;
      activity_status?: string;
      amount_to_be_released?: string;
      change_country?: string;
      change_nationality?: string;
      change_state_province?: string;
      check_number?: string;
      city?: string;
      combined_statement?: string;
      country?: string;
      customer_existing?: string;
      customer_will_present?: string;
      date_of_birth?: string;
      date_of_birth_deceased?: string;
      date_of_death_deceased?: string;
      date_of_funeral?: string;
      debit_card_required?: string;
      disbursement_mode?: string;
      email?: string;
      estatement?: string;
      first_name?: string;
      funding_amount?: string;
      funding_source?: string;
      funeral_expense?: string;
      has_lending_product?: string;
      income_source?: string;
      is_address_change?: string;
      is_name_change?: string;
      kyc_compliance_status?: string;
      last_name?: string;
      mobile_phone?: string;
      nationality?: string;
      notifier?: string | Core.Link;
      overdraft_protection?: string;
      payee_address?: string;
      payee_name?: string;
      probate_present?: string;
      reason?: string;
      relationship_deceased_customer?: string;
      relationship_manager?: string;
      release_funds_for_funeral?: string;
      release_tax_funds?: string;
      remarks?: string;
      routing_number?: string;
      state_province?: string;
      street?: string;
      submission_comment?: string;
      tax_payable?: string;
      total_asset_value?: string;
      zip?: string;
    }

    /** sn_bom_clo_b2c_task */
    interface ClientLifecycleTask extends FinancialTask {}

    /** sn_ins_claim_cml_auto_adj_task */
    interface CommercialAutoClaimAdjusterTask extends FinancialTask {
      activity_status?: string;
      adjuster_comments?: string;
      settlement_comments?: string;
      siu_review?: string;
      total_expense_amount?: string;
      total_loss_amount?: string;
    }

    /** sn_ins_claim_cml_auto_service */
    interface CommercialAutoClaimCase extends FinancialServicesBase {
      activity_status?: string;
      city?: string;
      claim_fraud_decision?: string;
      claim_validation_decision?: string;
      country?: string;
      date_and_time_of_incident?: string;
      describe_the_incident?: string;
      fault_rating?: string;
      fnol_comments?: string;
      fraud_score?: string | Core.Link;
      nature_of_loss?: string;
      police_report_details?: string;
      police_report_number?: string;
      report_date?: string;
      siu_review?: string;
      state_province?: string;
      street?: string;
      total_claim_amount?: string;
      total_expense_amount?: string;
      total_loss_amount?: string;
      zip?: string;
    }

    /** sn_ins_claim_cml_auto_task */
    interface CommercialAutoClaimTask extends FinancialTask {
      activity_status?: string;
      adjuster_comments?: string;
      settlement_comments?: string;
      siu_review?: string;
      total_expense_amount?: string;
      total_loss_amount?: string;
    }

    /** sn_bom_commercial_real_estate_loan */
    interface CommercialRealEstateLoan extends LoanAccount {}

    /** sn_bom_commercial_vehicle_loan */
    interface CommercialVehicleLoan extends LoanAccount {}

    /** sn_bom_compl_service */
    interface ComplaintCase extends FinancialServicesBase {
      branch_code?: string;
      checked_for_review?: string;
      complaint_response?: string;
      complaint_type?: string;
      expected_outcome?: string;
      findings_learnings?: string;
      intake_completed?: string;
      legal_impact?: string;
      quality_approval?: string;
      regulation_category?: string | Core.Link;
      regulation_subcategory?: string | Core.Link;
      regulatory_impact?: string;
      response_template?: string;
      source?: string | Core.Link;
      source_type?: string | Core.Link;
    }

    /** sn_bom_compl_task */
    interface ComplaintServiceTask extends FinancialTask {}

    /** sn_bom_clo_b2b_contact_service */
    interface ContactLifecycleServiceCase extends BusinessLifecycleBase {
      date_of_birth?: string;
      email?: string;
      equity_percentage?: string;
      first_name?: string;
      last_name?: string;
      mobile_phone?: string;
      nationality?: string;
      role?: string | Core.Link;
      submission_comment?: string;
    }

    /** sn_bom_clo_b2b_contact_task */
    interface ContactLifecycleTask extends FinancialTask {}

    /** sn_bom_credit_card_service */
    interface CreditCardService extends FinancialServicesBase {
      duration?: string;
      end_date?: string;
      req_limit_amount?: string;
      start_date?: string;
    }

    /** sn_bom_credit_card_task */
    interface CreditCardTask extends FinancialTask {
      credit_assessment?: string | Core.Link;
    }

    /** sn_bom_credit_card_task */
    interface CreditTask extends FinancialTask {
      credit_approval?: string;
      credit_limit?: string;
      req_limit_amount?: string;
      risk_score?: string;
    }

    /** sn_bom_deposit_account */
    interface DepositAccount extends FinancialAccount {
      accrued_interest?: string;
      interest_credit_account?: string | Core.Link;
      interest_rate_apy?: string;
      interest_rate_end_date?: string;
      interest_rate_start_date?: string;
      other_margin?: string;
    }

    /** sn_bom_equipment_loan */
    interface EquipmentLoan extends LoanAccount {}

    /** sn_bom_financial_account */
    interface FinancialAccount extends Core.SoldProduct {
      account_number?: string;
      active?: string;
      application_id?: string;
      balance?: string;
      base_currency?: string | Core.Link;
      closure_date?: string;
      customer_class?: string;
      end_date?: string;
      external_id?: string;
      open_date?: string;
      request_channel?: string;
      secondary_consumer?: string | Core.Link;
      sourced_channel?: string;
      start_date?: string;
      statement_frequency?: string;
      statement_mode?: string;
      status?: string;
    }

    /** sn_bom_service */
    interface FinancialService extends Core.SoldProduct {
      approval_level?: string;
      billing_account?: string | Core.Link;
      end_date?: string;
      service_level_limit?: string;
      start_date?: string;
      status?: string;
    }

    /** sn_bom_case */
    interface FinancialServicesBase extends CSM.Case {
      customer_approval?: string;
      service_definition?: string | Core.Link;
    }

    /** sn_bom_financial_service */
    interface FinancialServicesCase extends FinancialServicesBase {
      financial_account?: string | Core.Link;
    }

    /** sn_bom_financial_task */
    interface FinancialServicesTask extends FinancialTask {}

    /** sn_bom_task */
    interface FinancialTask extends Core.Task {
      account?: string | Core.Link;
      category?: string;
      contact?: string | Core.Link;
      customer?: string | Core.Link;
      product?: string | Core.Link;
      service_definition?: string | Core.Link;
      sold_product?: string | Core.Link;
    }

    /** sn_ins_indiv_uw_task */
    interface IndividualLifeUnderwritingServiceTask extends FinancialTask {
      activity_status?: string;
      current_premium?: string;
      net_premium?: string;
      new_premium?: string;
      premium_change?: string;
      reject_reason?: string;
      requested_medical_exam?: string;
      submission_comment?: string;
    }

    /** sn_bom_payment_inquiry_task */
    interface InquiryTask extends FinancialTask {
      sender_transactions?: string | Core.Link;
    }

    /** sn_bom_investment_account */
    interface InvestmentAccount extends FinancialAccount {
      accrued_interest?: string;
      interest_rate_apy?: string;
      interest_rate_end_date?: string;
      interest_rate_start_date?: string;
      interest_to_be_credited_to?: string | Core.Link;
    }

    /** sn_bom_kyc_account_task */
    interface KycAccountTask extends FinancialTask {
      expiry_date?: string;
      kyc_completed_date?: string;
      outcome?: string;
      risk_score?: string;
      status?: string;
    }

    /** sn_bom_kyc_contact_task */
    interface KycContactTask extends FinancialTask {
      expiry_date?: string;
      kyc_completed_date?: string;
      outcome?: string;
      risk_score?: string;
      status?: string;
    }

    /** sn_bom_kyc_customer_task */
    interface KycCustomerTask extends FinancialTask {
      expiry_date?: string;
      kyc_completed_date?: string;
      outcome?: string;
      risk_score?: string;
      status?: string;
    }

    /** sn_bom_line_of_credit */
    interface LineOfCredit extends FinancialAccount {
      accrued_interest?: string;
      available_amount?: string;
      bill_due_date?: string;
      billing_cycle?: string;
      disbursed_amount?: string;
      expiry_date?: string;
      notes?: string;
      principal_balance?: string;
      purpose?: string;
      sactioned_amount?: string;
      statement_generated_date?: string;
      statement_generation_day?: string;
    }

    /** sn_bom_loan_account */
    interface LoanAccount extends FinancialAccount {
      accrued_interest?: string;
      amount?: string;
      apr?: string;
      cosigner?: string | Core.Link;
      credit_facility_id?: string;
      days_past_due?: string;
      delinquency_status?: string;
      disbursed_amount?: string;
      document_id?: string;
      federal_backed_loan?: string;
      grace_period_for_repayment?: string;
      guarantor?: string | Core.Link;
      interest_rate?: string;
      interest_type?: string;
      is_lending_insured?: string;
      last_payment_amount?: string;
      last_payment_date?: string;
      last_reviewed_on?: string;
      loan_classification?: string;
      maturity_date?: string;
      moratorium_end_date?: string;
      moratorium_period?: string;
      moratorium_start_date?: string;
      next_review_on?: string;
      no_of_installment_deferrals_made?: string;
      no_of_installments?: string;
      pending_installments?: string;
      prepayment_allowed?: string;
      principal_balance?: string;
      purpose?: string;
      risk_rating?: string;
      rollover_mode?: string;
      rollover_possible?: string;
      term?: string;
    }

    /** sn_bom_mortgage */
    interface Mortgage extends LoanAccount {}

    /** sn_bom_payment_base */
    interface PaymentBase extends CSM.Case {
      receiving_transactions?: string;
      sender_transactions?: string;
    }

    /** sn_bom_payment_inquiry */
    interface PaymentInquiryCase extends PaymentBase {
      correct_account?: string;
      correct_beneficiary?: string;
      correct_routing?: string;
      customer_reason?: string;
      error_type?: string;
      external_id?: string;
      is_attempted_recovery?: string;
      is_international?: string;
      is_recurring?: string;
      is_valid_claim?: string;
      other_reason?: string;
      payment_date?: string;
      payment_processor?: string;
      receiving_account?: string | Core.Link;
      receiving_contact?: string | Core.Link;
      receiving_customer?: string | Core.Link;
      receiving_financial_account?: string | Core.Link;
      recipient_bank?: string | Core.Link;
      recipient_type?: string;
      remitter_bank?: string | Core.Link;
      sent_to_account?: string;
      sent_to_beneficiary?: string;
      sent_to_routing?: string;
      total_amount?: string;
      transaction_id?: string;
    }

    /** sn_bom_payment_service */
    interface PaymentService extends PaymentBase {
      outcome?: string;
      outcome_notes?: string;
      requested_amount?: string;
      total_amount?: string;
    }

    /** sn_bom_certificate_of_deposit */
    interface PersonalCertificateOfDeposit extends DepositAccount {
      auto_renewal?: string;
      deposit_amount?: string;
      deposit_amount_to_be_credited_to?: string | Core.Link;
      interest_payout_frequency?: string;
      maturity_amount?: string;
      maturity_instructions?: string;
      mode_of_operation?: string;
      penalty_amount?: string;
      premature_liquidation?: string;
      premature_liquidation_penalty?: string;
    }

    /** sn_bom_checking_account */
    interface PersonalCheckingAccount extends DepositAccount {
      applicable_interest_rate_apy?: string;
      check_facility?: string;
      debit_card?: string;
      list_of_countries?: string;
      online_banking?: string;
      overseas_transactions?: string;
      purpose?: string;
    }

    /** sn_bom_credit_card */
    interface PersonalCreditCard extends FinancialAccount {
      accrued_interest?: string;
      address?: string;
      apr_card?: string;
      apr_cash?: string;
      bill_due_date?: string;
      billing_cycle?: string;
      cash_advance_limit?: string;
      credit_facility_id?: string;
      document_id?: string;
      embossed_name_primary_applicant?: string;
      embossed_name_secondary_applicant?: string;
      expire_date?: string;
      grace_period?: string;
      is_lending_insured?: string;
      issue_date?: string;
      max_credit_limit?: string;
      requested_credit_limit?: string;
      risk_rating?: string;
      statement_generation_date?: string;
      statement_generation_day?: string;
    }

    /** sn_bom_deposit_b2c_service */
    interface PersonalDepositServiceCase extends FinancialServicesBase {
      account_holder_authorization?: string;
      account_number?: string;
      account_purpose?: string;
      activity_status?: string;
      amount?: string;
      applicable_interest_rate_apy?: string;
      balance_credited?: string;
      beneficiary_account_number?: string;
      beneficiary_name?: string;
      beneficiary_routing_number?: string;
      check_number?: string;
      checkbook_facility?: string;
      checks_destroyed?: string;
      city?: string;
      country?: string;
      credit_account?: string | Core.Link;
      date_of_birth?: string;
      debit_account?: string | Core.Link;
      debit_card?: string;
      debit_card_destroyed?: string;
      debit_gl_account?: string;
      email?: string;
      existing_customer?: string;
      fee_treatment?: string;
      financial_account_relationship?: string;
      financial_role?: string;
      first_name?: string;
      frequency?: string;
      fund_transfer_type?: string;
      guardian_city?: string;
      guardian_country?: string;
      guardian_date_of_birth?: string;
      guardian_email?: string;
      guardian_first_name?: string;
      guardian_last_name?: string;
      guardian_mobile_phone?: string;
      guardian_nationality?: string;
      guardian_state_province?: string;
      guardian_street?: string;
      guardian_zip?: string;
      initial_deposit_amount?: string;
      interest_margin?: string;
      interest_rate_apy?: string;
      interest_rate_end_date?: string;
      interest_rate_start_date?: string;
      is_minor?: string;
      last_name?: string;
      list_of_countries?: string;
      margin?: string;
      mobile_phone?: string;
      mode_of_operation?: string;
      nationality?: string;
      net_banking?: string;
      occurrences?: string;
      overseas_transactions?: string;
      ownership_percentage?: string;
      payee_address?: string;
      payee_name?: string;
      payment_mode?: string;
      primary_account_financial_role?: string;
      primary_mode_of_operation?: string;
      purpose?: string;
      reason?: string;
      release_balance_mode?: string;
      remaining_balance?: string;
      remarks?: string;
      routing_number?: string;
      secondary_account_financial_role?: string;
      secondary_mode_of_operation?: string;
      secondary_ownership_percentage?: string;
      select_customer?: string | Core.Link;
      standing_order?: string | Core.Link;
      standing_orders?: string;
      start_date?: string;
      state_province?: string;
      statement_frequency?: string;
      statement_mode?: string;
      street?: string;
      submission_comment?: string;
      unpaid_fees?: string;
      zip?: string;
    }

    /** sn_bom_deposit_b2c_task */
    interface PersonalDepositTask extends FinancialTask {
      rejection_reason?: string;
    }

    /** sn_bom_b2c_line_of_credit */
    interface PersonalLineOfCredit extends LineOfCredit {}

    /** sn_bom_personal_loan */
    interface PersonalLoan extends LoanAccount {}

    /** sn_bom_credit_asmt_loan_service */
    interface PersonalLoanCreditServiceCase extends FinancialServicesBase {
      acceptance_date?: string;
      acceptance_remarks?: string;
      account_number?: string;
      add_modify_collaterals?: string;
      add_modify_conditions_precedent?: string;
      add_modify_conditions_preliminary?: string;
      add_modify_conditions_subsequent?: string;
      add_modify_covenants?: string;
      add_modify_guarantors?: string;
      asset_classification?: string;
      check_number?: string;
      compliance_date?: string;
      covenant?: string;
      covenant_compliance_remarks?: string;
      covenant_compliance_status?: string;
      covenant_due_date?: string;
      covenant_extension_due_date?: string;
      covenant_instance_waived?: string;
      covenant_waiver_end_date?: string;
      covenant_waiver_start_date?: string;
      debit_account?: string | Core.Link;
      debit_gl_account?: string;
      extend_loan_maturity_date?: string;
      fee_amount?: string;
      fee_treatment?: string;
      interest_outstanding?: string;
      interest_rate?: string;
      new_accrued_interest?: string;
      new_collateral_details?: string;
      new_condition_precedent_details?: string;
      new_condition_preliminary_details?: string;
      new_condition_subsequent_details?: string;
      new_covenant_details?: string;
      new_guarantor_details?: string;
      new_interest_rate?: string;
      new_interest_rate_end_date?: string;
      new_interest_rate_start_date?: string;
      new_loan_maturity_date?: string;
      new_principal_amount?: string;
      other_charges?: string;
      others?: string;
      outstanding_fee?: string;
      payment_mode?: string;
      principal_outstanding?: string;
      qualification_remarks?: string;
      qualified?: string;
      reason?: string;
      reason_remarks?: string;
      reduce_accrured_interest?: string;
      reduce_interest_rate?: string;
      remark_for_others?: string;
      revise_principal_amount?: string;
      routing_number?: string;
      total_outstanding_amount?: string;
    }

    /** sn_bom_loan_service */
    interface PersonalLoanServiceCase extends FinancialServicesBase {
      account_number?: string;
      activity_state?: string;
      amount_paid?: string;
      bankruptcy_date?: string;
      check_number?: string;
      corrective_action?: string;
      credit_service?: string | Core.Link;
      debit_account?: string | Core.Link;
      debit_general_ledger_account?: string;
      deferment_option?: string;
      deferment_period?: string;
      deferment_reason?: string;
      end_date?: string;
      fee_amount?: string;
      fee_treatment?: string;
      fee_write_off_amount?: string;
      funds_source?: string;
      interest_outstanding?: string;
      interest_write_off_amount?: string;
      judgement_date?: string;
      last_repayment_amount?: string;
      last_repayment_date?: string;
      loan_amount?: string;
      loan_forgiveness_reason?: string;
      loan_transaction?: string | Core.Link;
      mode_of_payment?: string;
      other_charges?: string;
      other_charges_write_off_amount?: string;
      outstanding_fee?: string;
      payment_details?: string | Core.Link;
      payment_status?: string;
      prepayment_amount?: string;
      principal_write_off_amount?: string;
      remainder_loan_treatment?: string;
      remarks?: string;
      remedial_service?: string | Core.Link;
      repayment_amount?: string;
      repayment_amount_due?: string;
      repayment_due_date?: string;
      report_to_credit_bureau?: string;
      routing_number?: string;
      start_date?: string;
      submission_comment?: string;
      total_outstanding_amount?: string;
      total_write_off_amount?: string;
      write_off_option?: string;
    }

    /** sn_bom_loan_task */
    interface PersonalLoanTask extends FinancialTask {}

    /** sn_bom_saving_account */
    interface PersonalSavingAccount extends DepositAccount {
      applicable_interest_rate_apy?: string;
      check_facility?: string;
      debit_card?: string;
      list_of_countries?: string;
      online_banking?: string;
      overseas_transactions?: string;
      purpose?: string;
    }

    /** sn_bom_compl_qc_task */
    interface QualityControlTask extends FinancialTask {
      complaint_response?: string;
      rejection_reason?: string;
    }

    /** sn_bom_rdc */
    interface RdcService extends FinancialService {
      average_deposits_per_month?: string;
      billing_package?: string;
      business_checks?: string;
      business_outside_country?: string;
      cashier_checks?: string;
      checks_deposited_per_month?: string;
      company_bankruptcy_filing_date?: string;
      company_declared_bankruptcy?: string;
      declined_rdc_services?: string;
      maximum_desposits_per_month?: string;
      maximun_check_amount?: string;
      mode?: string;
      money_orders?: string;
      others?: string;
      owner_bankruptcy_filing_date?: string;
      owner_declared_bankruptcy?: string;
      personal_checks?: string;
      rdc_services_suspended_terminated?: string;
      utilized_rdc_service?: string;
    }

    /** sn_bom_treasury_rdc_service */
    interface RdcServiceCase extends TreasuryServiceCase {
      average_deposits_per_month?: string;
      billing_package?: string;
      business_checks?: string;
      business_outside_country?: string;
      cashier_checks?: string;
      checks_deposited_per_month?: string;
      company_bankruptcy_filing_date?: string;
      company_declared_bankruptcy?: string;
      declined_rdc_services?: string;
      maximum_desposits_per_month?: string;
      maximun_check_amount?: string;
      mode?: string;
      money_orders?: string;
      others?: string;
      owner_bankruptcy_filing_date?: string;
      owner_declared_bankruptcy?: string;
      personal_checks?: string;
      rdc_services_suspended_terminated?: string;
      utilized_rdc_service?: string;
    }

    /** sn_bom_remote_auto_loan */
    interface RemoteAutoLoan extends AutoLoan {}

    /** sn_bom_b2b_remote_certificate_of_deposit */
    interface RemoteBusinessCertificateOfDeposit extends BusinessCertificateOfDeposit {}

    /** sn_bom_remote_business_checking_account */
    interface RemoteBusinessCheckingAccount extends BusinessCheckingAccount {}

    /** sn_bom_remote_b2b_line_of_credit */
    interface RemoteBusinessLineOfCredit extends BusinessLineOfCredit {}

    /** sn_bom_remote_b2b_saving_account */
    interface RemoteBusinessSavingAccount extends BusinessSavingAccount {}

    /** sn_bom_remote_commercial_real_estate_loan */
    interface RemoteCommercialRealEstateLoan extends CommercialRealEstateLoan {}

    /** sn_bom_remote_commercial_vehicle_loan */
    interface RemoteCommercialVehicleLoan extends CommercialVehicleLoan {}

    /** sn_bom_remote_credit_card */
    interface RemoteCreditCard extends PersonalCreditCard {}

    /** sn_bom_remote_equipment_loan */
    interface RemoteEquipmentLoan extends EquipmentLoan {}

    /** sn_bom_remote_investment_account */
    interface RemoteInvestmentAccount extends InvestmentAccount {}

    /** sn_bom_remote_mortgage */
    interface RemoteMortgage extends Mortgage {}

    /** sn_bom_remote_certificate_of_deposit */
    interface RemotePersonalCertificateOfDeposit extends DepositAccount {}

    /** sn_bom_remote_checking_account */
    interface RemotePersonalCheckingAccount extends PersonalCheckingAccount {}

    /** sn_bom_remote_b2c_line_of_credit */
    interface RemotePersonalLineOfCredit extends PersonalLineOfCredit {}

    /** sn_bom_remote_personal_loan */
    interface RemotePersonalLoan extends PersonalLoan {}

    /** sn_bom_remote_saving_account */
    interface RemotePersonalSavingAccount extends PersonalSavingAccount {}

    /** sn_bom_remote_sba_loan */
    interface RemoteSbaLoan extends SbaLoan {}

    /** sn_bom_remote_student_loan */
    interface RemoteStudentLoan extends StudentLoan {}

    /** sn_bom_remote_term_loan */
    interface RemoteTermLoan extends TermLoan {}

    /** sn_bom_sba_loan */
    interface SbaLoan extends LoanAccount {}

    /** sn_ins_siu_task */
    interface SiuTask extends FinancialTask {}

    /** sn_bom_student_loan */
    interface StudentLoan extends LoanAccount {
      course_name?: string;
      name_of_university?: string;
    }

    /** sn_bom_term_loan */
    interface TermLoan extends LoanAccount {}

    /** sn_bom_treasury_service */
    interface TreasuryServiceCase extends FinancialServicesBase {
      approval_level?: string;
      billing_account?: string | Core.Link;
      end_date?: string;
      is_service_setup_completed?: string;
      service_level_limit?: string;
      start_date?: string;
      submission_comment?: string;
    }

    /** sn_bom_treasury_task */
    interface TreasuryTask extends FinancialTask {}

    /** sn_bom_treasury_wire_service */
    interface WireServiceCase extends TreasuryServiceCase {
      approval_type?: string;
      batch_wires?: string;
      domestic_transfers?: string;
      email_confirmations?: string;
      free_form_amount_no_approver?: string;
      free_form_amount_one_approver?: string;
      free_form_amount_two_approvers?: string;
      free_form_transfer_approval?: string;
      international_transfers?: string;
      repetitive_amount_no_approver?: string;
      repetitive_amount_one_approver?: string;
      repetitive_amount_two_approvers?: string;
      repetitive_transfer_approval?: string;
      reporting_service?: string;
      telephone_services?: string;
      template_maintenance_amount_no_approver?: string;
      template_maintenance_amount_one_approver?: string;
      template_maintenance_amount_two_approvers?: string;
      template_maintenance_approval?: string;
    }

    /** sn_bom_wire_transfer */
    interface WireTransferService extends FinancialService {
      approval_type?: string;
      batch_wires?: string;
      domestic_transfers?: string;
      email_confirmations?: string;
      free_form_amount_no_approver?: string;
      free_form_amount_one_approver?: string;
      free_form_amount_two_approvers?: string;
      free_form_transfer_approval?: string;
      international_transfers?: string;
      repetitive_amount_no_approver?: string;
      repetitive_amount_one_approver?: string;
      repetitive_amount_two_approvers?: string;
      repetitive_transfer_approval?: string;
      reporting_service?: string;
      telephone_services?: string;
      template_maintenance_amount_no_approver?: string;
      template_maintenance_amount_one_approver?: string;
      template_maintenance_amount_two_approvers?: string;
      template_maintenance_approval?: string;
    }
  }
}

// Each type above also by its own name, for `import type { Incident } from
// '@snworker/servicenow'`. Where two namespaces use a name (Contact, Task), it is
// Core's; the others stay ServiceNowEntities.CSM.Contact and ServiceNowEntities.CSM.Task.
export type Account = ServiceNowEntities.CSM.Account;
export type AccountLifecycleServiceCase = ServiceNowEntities.FSO.AccountLifecycleServiceCase;
export type AccountLifecycleTask = ServiceNowEntities.FSO.AccountLifecycleTask;
export type AccountRelationship = ServiceNowEntities.CSM.AccountRelationship;
export type AccountRelationshipAccess = ServiceNowEntities.CSM.AccountRelationshipAccess;
export type AccountRelationshipType = ServiceNowEntities.CSM.AccountRelationshipType;
export type AccountTeamMember = ServiceNowEntities.CSM.AccountTeamMember;
export type AddressType = ServiceNowEntities.CSM.AddressType;
export type ApplicationFile = ServiceNowEntities.Core.ApplicationFile;
export type Appointment = ServiceNowEntities.CSM.Appointment;
export type Attachment = ServiceNowEntities.Core.Attachment;
export type AutoLoan = ServiceNowEntities.FSO.AutoLoan;
export type BaseEntity = ServiceNowEntities.Core.BaseEntity;
export type BusinessCertificateOfDeposit = ServiceNowEntities.FSO.BusinessCertificateOfDeposit;
export type BusinessCheckingAccount = ServiceNowEntities.FSO.BusinessCheckingAccount;
export type BusinessCreditCard = ServiceNowEntities.FSO.BusinessCreditCard;
export type BusinessCreditTask = ServiceNowEntities.FSO.BusinessCreditTask;
export type BusinessDepositServiceCase = ServiceNowEntities.FSO.BusinessDepositServiceCase;
export type BusinessDepositTask = ServiceNowEntities.FSO.BusinessDepositTask;
export type BusinessLifecycleBase = ServiceNowEntities.FSO.BusinessLifecycleBase;
export type BusinessLineOfCredit = ServiceNowEntities.FSO.BusinessLineOfCredit;
export type BusinessLoanCreditServiceCase = ServiceNowEntities.FSO.BusinessLoanCreditServiceCase;
export type BusinessLoanServiceCase = ServiceNowEntities.FSO.BusinessLoanServiceCase;
export type BusinessLoanTask = ServiceNowEntities.FSO.BusinessLoanTask;
export type BusinessSavingAccount = ServiceNowEntities.FSO.BusinessSavingAccount;
export type CardDisputesServiceCase = ServiceNowEntities.FSO.CardDisputesServiceCase;
export type CardDisputesTask = ServiceNowEntities.FSO.CardDisputesTask;
export type Case = ServiceNowEntities.CSM.Case;
export type CaseReport = ServiceNowEntities.CSM.CaseReport;
export type ChangeModel = ServiceNowEntities.Core.ChangeModel;
export type ChangeRequest = ServiceNowEntities.Core.ChangeRequest;
export type Claim = ServiceNowEntities.FSO.Claim;
export type ClaimTask = ServiceNowEntities.FSO.ClaimTask;
export type ClientLifecycleServiceCase = ServiceNowEntities.FSO.ClientLifecycleServiceCase;
export type ClientLifecycleTask = ServiceNowEntities.FSO.ClientLifecycleTask;
export type CommercialAutoClaimAdjusterTask = ServiceNowEntities.FSO.CommercialAutoClaimAdjusterTask;
export type CommercialAutoClaimCase = ServiceNowEntities.FSO.CommercialAutoClaimCase;
export type CommercialAutoClaimTask = ServiceNowEntities.FSO.CommercialAutoClaimTask;
export type CommercialRealEstateLoan = ServiceNowEntities.FSO.CommercialRealEstateLoan;
export type CommercialVehicleLoan = ServiceNowEntities.FSO.CommercialVehicleLoan;
export type Company = ServiceNowEntities.Core.Company;
export type ComplaintCase = ServiceNowEntities.FSO.ComplaintCase;
export type ComplaintServiceTask = ServiceNowEntities.FSO.ComplaintServiceTask;
export type Consumer = ServiceNowEntities.CSM.Consumer;
export type ConsumerUser = ServiceNowEntities.CSM.ConsumerUser;
export type Contact = ServiceNowEntities.Core.Contact;
export type ContactLifecycleServiceCase = ServiceNowEntities.FSO.ContactLifecycleServiceCase;
export type ContactLifecycleTask = ServiceNowEntities.FSO.ContactLifecycleTask;
export type ContactRelationship = ServiceNowEntities.CSM.ContactRelationship;
export type CreditCardService = ServiceNowEntities.FSO.CreditCardService;
export type CreditCardTask = ServiceNowEntities.FSO.CreditCardTask;
export type CreditTask = ServiceNowEntities.FSO.CreditTask;
export type CustomerInteraction = ServiceNowEntities.CSM.CustomerInteraction;
export type CustomerServiceCaseFlow = ServiceNowEntities.CSM.CustomerServiceCaseFlow;
export type DepositAccount = ServiceNowEntities.FSO.DepositAccount;
export type DescendentEntity = ServiceNowEntities.Core.DescendentEntity;
export type Entitlement = ServiceNowEntities.CSM.Entitlement;
export type EquipmentLoan = ServiceNowEntities.FSO.EquipmentLoan;
export type Escalation = ServiceNowEntities.CSM.Escalation;
export type EscalationSeverity = ServiceNowEntities.CSM.EscalationSeverity;
export type EscalationTemplate = ServiceNowEntities.CSM.EscalationTemplate;
export type FinancialAccount = ServiceNowEntities.FSO.FinancialAccount;
export type FinancialService = ServiceNowEntities.FSO.FinancialService;
export type FinancialServicesBase = ServiceNowEntities.FSO.FinancialServicesBase;
export type FinancialServicesCase = ServiceNowEntities.FSO.FinancialServicesCase;
export type FinancialServicesTask = ServiceNowEntities.FSO.FinancialServicesTask;
export type FinancialTask = ServiceNowEntities.FSO.FinancialTask;
export type Group = ServiceNowEntities.Core.Group;
export type Household = ServiceNowEntities.CSM.Household;
export type HouseholdMember = ServiceNowEntities.CSM.HouseholdMember;
export type Incident = ServiceNowEntities.Core.Incident;
export type IndividualLifeUnderwritingServiceTask = ServiceNowEntities.FSO.IndividualLifeUnderwritingServiceTask;
export type InquiryTask = ServiceNowEntities.FSO.InquiryTask;
export type InvestmentAccount = ServiceNowEntities.FSO.InvestmentAccount;
export type KycAccountTask = ServiceNowEntities.FSO.KycAccountTask;
export type KycContactTask = ServiceNowEntities.FSO.KycContactTask;
export type KycCustomerTask = ServiceNowEntities.FSO.KycCustomerTask;
export type LineOfCredit = ServiceNowEntities.FSO.LineOfCredit;
export type Link = ServiceNowEntities.Core.Link;
export type LinkWithDisplayValue = ServiceNowEntities.Core.LinkWithDisplayValue;
export type LinkWithValue = ServiceNowEntities.Core.LinkWithValue;
export type LoanAccount = ServiceNowEntities.FSO.LoanAccount;
export type Mortgage = ServiceNowEntities.FSO.Mortgage;
export type OrderCase = ServiceNowEntities.CSM.OrderCase;
export type PaymentBase = ServiceNowEntities.FSO.PaymentBase;
export type PaymentInquiryCase = ServiceNowEntities.FSO.PaymentInquiryCase;
export type PaymentService = ServiceNowEntities.FSO.PaymentService;
export type PersonalCertificateOfDeposit = ServiceNowEntities.FSO.PersonalCertificateOfDeposit;
export type PersonalCheckingAccount = ServiceNowEntities.FSO.PersonalCheckingAccount;
export type PersonalCreditCard = ServiceNowEntities.FSO.PersonalCreditCard;
export type PersonalDepositServiceCase = ServiceNowEntities.FSO.PersonalDepositServiceCase;
export type PersonalDepositTask = ServiceNowEntities.FSO.PersonalDepositTask;
export type PersonalLineOfCredit = ServiceNowEntities.FSO.PersonalLineOfCredit;
export type PersonalLoan = ServiceNowEntities.FSO.PersonalLoan;
export type PersonalLoanCreditServiceCase = ServiceNowEntities.FSO.PersonalLoanCreditServiceCase;
export type PersonalLoanServiceCase = ServiceNowEntities.FSO.PersonalLoanServiceCase;
export type PersonalLoanTask = ServiceNowEntities.FSO.PersonalLoanTask;
export type PersonalSavingAccount = ServiceNowEntities.FSO.PersonalSavingAccount;
export type Problem = ServiceNowEntities.Core.Problem;
export type ProblemTask = ServiceNowEntities.Core.ProblemTask;
export type QualityControlTask = ServiceNowEntities.FSO.QualityControlTask;
export type RdcService = ServiceNowEntities.FSO.RdcService;
export type RdcServiceCase = ServiceNowEntities.FSO.RdcServiceCase;
export type RegistrationRequest = ServiceNowEntities.CSM.RegistrationRequest;
export type RelatedParty = ServiceNowEntities.CSM.RelatedParty;
export type RelatedPartyConfiguration = ServiceNowEntities.CSM.RelatedPartyConfiguration;
export type RemoteAutoLoan = ServiceNowEntities.FSO.RemoteAutoLoan;
export type RemoteBusinessCertificateOfDeposit = ServiceNowEntities.FSO.RemoteBusinessCertificateOfDeposit;
export type RemoteBusinessCheckingAccount = ServiceNowEntities.FSO.RemoteBusinessCheckingAccount;
export type RemoteBusinessLineOfCredit = ServiceNowEntities.FSO.RemoteBusinessLineOfCredit;
export type RemoteBusinessSavingAccount = ServiceNowEntities.FSO.RemoteBusinessSavingAccount;
export type RemoteCommercialRealEstateLoan = ServiceNowEntities.FSO.RemoteCommercialRealEstateLoan;
export type RemoteCommercialVehicleLoan = ServiceNowEntities.FSO.RemoteCommercialVehicleLoan;
export type RemoteCreditCard = ServiceNowEntities.FSO.RemoteCreditCard;
export type RemoteEquipmentLoan = ServiceNowEntities.FSO.RemoteEquipmentLoan;
export type RemoteInvestmentAccount = ServiceNowEntities.FSO.RemoteInvestmentAccount;
export type RemoteMortgage = ServiceNowEntities.FSO.RemoteMortgage;
export type RemotePersonalCertificateOfDeposit = ServiceNowEntities.FSO.RemotePersonalCertificateOfDeposit;
export type RemotePersonalCheckingAccount = ServiceNowEntities.FSO.RemotePersonalCheckingAccount;
export type RemotePersonalLineOfCredit = ServiceNowEntities.FSO.RemotePersonalLineOfCredit;
export type RemotePersonalLoan = ServiceNowEntities.FSO.RemotePersonalLoan;
export type RemotePersonalSavingAccount = ServiceNowEntities.FSO.RemotePersonalSavingAccount;
export type RemoteSbaLoan = ServiceNowEntities.FSO.RemoteSbaLoan;
export type RemoteStudentLoan = ServiceNowEntities.FSO.RemoteStudentLoan;
export type RemoteTermLoan = ServiceNowEntities.FSO.RemoteTermLoan;
export type ResponsibilityDefinition = ServiceNowEntities.CSM.ResponsibilityDefinition;
export type SbaLoan = ServiceNowEntities.FSO.SbaLoan;
export type SiuTask = ServiceNowEntities.FSO.SiuTask;
export type SoldProduct = ServiceNowEntities.Core.SoldProduct;
export type StateFlow = ServiceNowEntities.Core.StateFlow;
export type StateTransitionModel = ServiceNowEntities.Core.StateTransitionModel;
export type StudentLoan = ServiceNowEntities.FSO.StudentLoan;
export type Task = ServiceNowEntities.Core.Task;
export type TaskActivity = ServiceNowEntities.Core.TaskActivity;
export type TermLoan = ServiceNowEntities.FSO.TermLoan;
export type TreasuryServiceCase = ServiceNowEntities.FSO.TreasuryServiceCase;
export type TreasuryTask = ServiceNowEntities.FSO.TreasuryTask;
export type User = ServiceNowEntities.Core.User;
export type WireServiceCase = ServiceNowEntities.FSO.WireServiceCase;
export type WireTransferService = ServiceNowEntities.FSO.WireTransferService;
